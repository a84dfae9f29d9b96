package dev.mlops.serve.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ProxyMain --port P --admin-port A --upstream http://127.0.0.1:N --state-dir DIR [--bind 127.0.0.1]
 * [--max-connections 1024] [--max-body-bytes 16777216] [--header-timeout-ms 10000] [--body-timeout-ms 30000]
 * [--idle-timeout-ms 60000] [--upstream-timeout-ms 30000]}: runs the switchable proxy until SIGTERM. The CLI's
 * {@code mlops proxy} does the same; this entry point needs only the serve jar. Exit 2: bad arguments or an upstream
 * this environment did not start; exit 3: a port could not be bound.
 */
public final class ProxyMain {
    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        Integer port = null;
        int adminPort = 0;
        String upstream = null;
        String stateDir = null;
        String bind = "127.0.0.1";
        SwitchableProxy.Limits d = SwitchableProxy.Limits.defaults();
        int maxConn = d.maxConnections();
        int maxBody = d.maxBodyBytes();
        long header = d.headerTimeout().toMillis();
        long body = d.bodyTimeout().toMillis();
        long idle = d.idleTimeout().toMillis();
        long up = d.upstreamTimeout().toMillis();
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("option " + args[i] + " needs a value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--port" -> port = Integer.parseInt(v);
                    case "--admin-port" -> adminPort = Integer.parseInt(v);
                    case "--upstream" -> upstream = v;
                    case "--state-dir" -> stateDir = v;
                    case "--bind" -> bind = v;
                    case "--max-connections" -> maxConn = Integer.parseInt(v);
                    case "--max-body-bytes" -> maxBody = Integer.parseInt(v);
                    case "--header-timeout-ms" -> header = Long.parseLong(v);
                    case "--body-timeout-ms" -> body = Long.parseLong(v);
                    case "--idle-timeout-ms" -> idle = Long.parseLong(v);
                    case "--upstream-timeout-ms" -> up = Long.parseLong(v);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (port == null || upstream == null || stateDir == null) {
                throw new IllegalArgumentException("--port, --upstream and --state-dir are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("usage: ProxyMain --port P --admin-port A --upstream http://127.0.0.1:N --state-dir DIR");
            System.exit(2);
            return;
        }
        SwitchableProxy.Limits limits = new SwitchableProxy.Limits(maxConn, maxBody, Duration.ofMillis(header),
                Duration.ofMillis(body), Duration.ofMillis(idle), Duration.ofMillis(up), d.writeTimeout());
        int code = run(new InetSocketAddress(InetAddress.getByName(bind), port), adminPort, URI.create(upstream),
                Path.of(stateDir), limits);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Starts the proxy, prints where it listens, and blocks until the JVM is asked to stop; returns an exit code. */
    public static int run(InetSocketAddress bind, int adminPort, URI upstream, Path stateDir,
                          SwitchableProxy.Limits limits) throws InterruptedException {
        SwitchableProxy p;
        try {
            p = SwitchableProxy.start(bind, adminPort, upstream, stateDir, limits, System.err);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalStateException e) {
            System.err.println("error: " + e.getMessage());
            return 3;
        }
        System.out.println("proxy: port " + p.port() + " -> " + upstream + " (admin 127.0.0.1:" + p.adminPort()
                + ", at most " + limits.maxConnections() + " connections, bodies up to " + limits.maxBodyBytes()
                + " bytes)");
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.stop(Duration.ofSeconds(2));
            done.countDown();
        }));
        done.await();
        return 0;
    }
}
