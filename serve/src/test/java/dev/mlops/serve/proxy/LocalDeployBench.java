package dev.mlops.serve.proxy;

import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.RollbackConfig;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.SmokeSpec;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * bench/deploy, local target with real processes (fake model servers and the proxy as their own JVMs).
 * {@code setup STATE PORT}: deploys v1, v2, v3 and measures "green verified" (smoke test passed) to the first
 * request through the public port answered by the new version, against the median round trip of one request.
 * {@code rollback STATE PORT TO}: one rollback, as a fresh process (timed by the script).
 * {@code noop}: a JVM that does nothing (the start-up baseline). {@code teardown STATE PORT}: stops everything.
 */
public final class LocalDeployBench {
    private LocalDeployBench() {
    }

    static volatile long smokePassedAt;

    static LocalTarget target(Path state, int port, Log log) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> server = List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", cp,
                FakeModelServer.class.getName(), "--port", "{port}", "--version", "{version}", "--fail-predict", "false");
        List<String> proxy = List.of(java, "-Xmx128m", "-cp", cp, ProxyMain.class.getName(), "--port", "{port}",
                "--admin-port", "{adminPort}", "--upstream", "{upstream}");
        return new LocalTarget("bench", new LocalTarget.Config(state, port, server, proxy, null),
                new HttpServerClient(Duration.ofSeconds(5)), log, Clock.systemUTC());
    }

    static Log log(boolean quiet) {
        return new Log() {
            @Override
            public void info(String m) {
                if (m.startsWith("smoke test passed")) {
                    smokePassedAt = System.nanoTime();
                }
                if (!quiet) {
                    System.err.println(m);
                }
            }

            @Override
            public void warn(String m) {
                System.err.println("WARNING: " + m);
            }
        };
    }

    static DeployConfig cfg(String version) {
        return new DeployConfig("bench", "local", "cancer", version, null, "sha" + version, 1, 1, Duration.ofSeconds(60),
                new SmokeSpec(List.of(List.of(5.0, 1.0), List.of(15.0, 2.0)), List.of("benign", "malignant"), null,
                        Duration.ofSeconds(2), Duration.ofSeconds(20)),
                Duration.ofSeconds(1), Duration.ofMillis(250), 0.0, 20, null, "bench", null, null);
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "noop" -> System.exit(0);
            case "setup" -> setup(Path.of(args[1]), Integer.parseInt(args[2]));
            case "rollback" -> {
                LocalTarget t = target(Path.of(args[1]), Integer.parseInt(args[2]), log(true));
                Release r = new BlueGreen(t, null, new HttpServerClient(Duration.ofSeconds(5)), log(true),
                        Clock.systemUTC(), Sleeper.REAL).rollback(new RollbackConfig("bench", args[3], 1, 1,
                        Duration.ofSeconds(60), null, null, Duration.ofMillis(250), null, 20, null, "bench", null, null));
                System.out.println("rolled back to v" + r.modelVersion() + " on " + r.color().id());
            }
            case "teardown" -> target(Path.of(args[1]), Integer.parseInt(args[2]), log(true)).stopAll();
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void setup(Path state, int port) throws Exception {
        LocalTarget t = target(state, port, log(true));
        BlueGreen bg = new BlueGreen(t, null, new HttpServerClient(Duration.ofSeconds(5)), log(true), Clock.systemUTC(),
                Sleeper.REAL);
        bg.deploy(cfg("1"));
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        URI health = URI.create("http://127.0.0.1:" + port + "/health");
        List<Double> rtt = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long t0 = System.nanoTime();
            http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.discarding());
            rtt.add((System.nanoTime() - t0) / 1e6);
        }
        List<Double> switchMs = new ArrayList<>();
        for (String v : List.of("2", "3")) {
            AtomicLong firstNew = new AtomicLong();
            AtomicBoolean run = new AtomicBoolean(true);
            Thread poll = new Thread(() -> {
                while (run.get() && firstNew.get() == 0) {
                    try {
                        HttpResponse<Void> r = http.send(HttpRequest.newBuilder(health).build(),
                                HttpResponse.BodyHandlers.discarding());
                        long now = System.nanoTime();
                        if (v.equals(r.headers().firstValue("X-Model-Version").orElse(""))) {
                            firstNew.set(now);
                        }
                    } catch (Exception e) {
                        System.err.println("request failed: " + e);
                    }
                }
            });
            poll.start();
            bg.deploy(cfg(v));
            run.set(false);
            poll.join();
            switchMs.add((firstNew.get() - smokePassedAt) / 1e6);
        }
        double[] r = rtt.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double med = r[r.length / 2];
        double sw = switchMs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        System.out.printf(Locale.ROOT, "  green verified -> first request served by green: %s ms (mean %.1f ms);"
                + " one request through the proxy: median %.2f ms; ratio %.0fx%n", switchMs, sw, med, sw / med);
        System.out.println("  (the switch itself is one admin call; the rest is the deployer's own log/ledger steps"
                + " between 'smoke passed' and the call, plus the poller's resolution)");
        Arrays.fill(r, 0);
    }
}
