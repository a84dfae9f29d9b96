package dev.mlops.cli.deploy;

import dev.mlops.serve.proxy.ProxyMain;
import dev.mlops.serve.proxy.SwitchableProxy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code mlops proxy}: the local target's switchable reverse proxy; started by {@code mlops deploy}, runs until stopped. */
@Command(name = "proxy", mixinStandardHelpOptions = true,
        description = {"Reverse proxy for the local target: forwards the public port to one upstream; PUT /-/upstream",
                "on the admin port (127.0.0.1 only, with the secret in the state folder) switches it atomically to a",
                "server this environment started. Started by 'mlops deploy --target local'."})
public final class ProxyCommand implements Callable<Integer> {
    @Option(names = "--port", required = true, description = "Public port.")
    int port;

    @Option(names = "--admin-port", defaultValue = "0", description = "Admin port on 127.0.0.1 (0 picks one).")
    int adminPort;

    @Option(names = "--upstream", required = true, description = "First upstream, http://127.0.0.1:PORT.")
    URI upstream;

    @Option(names = "--state-dir", required = true, description = "The environment's state folder: the admin secret "
            + "(proxy.secret, mode 0600) and the colors whose ports are allowed upstreams.")
    Path stateDir;

    @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Public address (default 127.0.0.1).")
    String bind;

    @Option(names = "--max-connections", defaultValue = "1024", description = "Open connections at most (default 1024); more get a JSON 503.")
    int maxConnections;

    @Option(names = "--max-body-bytes", defaultValue = "16777216", description = "Largest request body (default 16 MiB); larger get a JSON 413.")
    int maxBodyBytes;

    @Override
    public Integer call() throws Exception {
        SwitchableProxy.Limits d = SwitchableProxy.Limits.defaults();
        return ProxyMain.run(new InetSocketAddress(InetAddress.getByName(bind), port), adminPort, upstream, stateDir,
                new SwitchableProxy.Limits(maxConnections, maxBodyBytes, d.headerTimeout(), d.bodyTimeout(),
                        d.idleTimeout(), d.upstreamTimeout(), d.writeTimeout()));
    }
}
