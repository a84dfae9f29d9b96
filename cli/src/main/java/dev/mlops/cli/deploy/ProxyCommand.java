package dev.mlops.cli.deploy;

import dev.mlops.serve.proxy.ProxyMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.Callable;

/** {@code mlops proxy}: the local target's switchable reverse proxy; started by {@code mlops deploy}, runs until stopped. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Reverse proxy for the local target: forwards the public port to one upstream; PUT /-/upstream",
                "on the admin port (127.0.0.1 only) switches it atomically. Started by 'mlops deploy --target local'."})
public final class ProxyCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Public port.")
    int port;

    @Option(names = "--admin-port", defaultValue = "0", description = "Admin port on 127.0.0.1 (0 picks one).")
    int adminPort;

    @Option(names = "--upstream", required = true, description = "First upstream, http://127.0.0.1:PORT.")
    URI upstream;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Public address (default 127.0.0.1).")
    String bind;

    @Option(names = "--threads", defaultValue = "32", description = "Concurrent requests (default 32).")
    int threads;

    @Override
    public Integer call() throws Exception {
        ProxyMain.run(new InetSocketAddress(InetAddress.getByName(bind), port), adminPort, upstream, threads);
        return 0;
    }
}
