package dev.mlops.serve.proxy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ProxyMain --port P --admin-port A --upstream http://127.0.0.1:N [--bind 127.0.0.1] [--threads 32]}: runs the
 * switchable proxy until SIGTERM. The CLI's {@code mlops proxy} does the same; this entry point needs only the serve jar.
 */
public final class ProxyMain {
    private ProxyMain() {
    }

    public static void main(String[] args) throws Exception {
        int port = -1;
        int adminPort = 0;
        String upstream = null;
        String bind = "127.0.0.1";
        int threads = 32;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--admin-port" -> adminPort = Integer.parseInt(args[i + 1]);
                case "--upstream" -> upstream = args[i + 1];
                case "--bind" -> bind = args[i + 1];
                case "--threads" -> threads = Integer.parseInt(args[i + 1]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (port < 0 || upstream == null) {
            System.err.println("usage: ProxyMain --port P --admin-port A --upstream http://127.0.0.1:N");
            System.exit(2);
        }
        run(new InetSocketAddress(InetAddress.getByName(bind), port), adminPort, URI.create(upstream), threads);
    }

    /** Starts the proxy, prints where it listens, and blocks until the JVM is asked to stop. */
    public static void run(InetSocketAddress bind, int adminPort, URI upstream, int threads) throws Exception {
        SwitchableProxy p = SwitchableProxy.start(bind, adminPort, upstream, threads, Duration.ofSeconds(30));
        System.out.println("proxy: port " + p.port() + " -> " + upstream + " (admin 127.0.0.1:" + p.adminPort() + ")");
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            p.stop(Duration.ofSeconds(2));
            done.countDown();
        }));
        done.await();
    }
}
