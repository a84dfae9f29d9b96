package dev.mlops.serve.proxy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.DeployStatus;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.Outcome;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.SmokeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local target's faults with real processes (issue 9 §4, §6, §8): environments side by side, corrupt state files
 * and a dead proxy. Model servers are {@link FakeModelServer} JVMs behind the real proxy JVM.
 */
@Timeout(300)
class LocalTargetFaultTest {
    @TempDir
    Path app;
    final List<LocalTarget> targets = new ArrayList<>();
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    final Log log = new Log() {
        @Override public void info(String m) { lines.add(m); }
        @Override public void warn(String m) { lines.add("WARNING: " + m); }
    };
    final HttpServerClient client = new HttpServerClient(Duration.ofSeconds(5));
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stopAll() {
        for (LocalTarget t : targets) {
            try {
                t.stopAll();
            } catch (RuntimeException e) {
                // a test left its state corrupt on purpose; processes are found by the next target or die with the JVM
            }
        }
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    LocalTarget target(String environment, int port) {
        LocalTarget t = new LocalTarget("demo", new LocalTarget.Config(app, environment, port, LocalCommands.fakeServer(),
                LocalCommands.proxy(), Duration.ofSeconds(60)), client, log, Clock.systemUTC());
        targets.add(t);
        return t;
    }

    BlueGreen bg(LocalTarget t) {
        return new BlueGreen(t, null, client, log, Clock.systemUTC(), Sleeper.REAL);
    }

    static DeployConfig cfg(String version) {
        return new DeployConfig("demo", "false", "cancer", version, null, "sha" + version, 1, 1, Duration.ofSeconds(60),
                new SmokeSpec(ZeroDowntimeTest.ROWS, ZeroDowntimeTest.EXPECTED, null, Duration.ofSeconds(2),
                        Duration.ofSeconds(20)), Duration.ofSeconds(1), Duration.ofMillis(250), 0.0, 5, null, "tester",
                null, null);
    }

    /** kill -9 of the environment's proxy, waiting until it is gone. */
    static void killProxy(LocalTarget t) throws Exception {
        long pid = dev.mlops.engine.Json.MAPPER.readTree(t.stateDir().resolve("proxy.json").toFile()).path("pid").asLong();
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroyForcibly();
            h.onExit().join();
        });
    }

    String served(int port) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " v" + r.headers().firstValue("X-Model-Version").orElse("?");
    }

    /** Traffic on {@code port} until stopped: the versions that answered, and the failures. */
    final class Traffic implements AutoCloseable {
        final Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
        final AtomicLong failed = new AtomicLong();
        final AtomicBoolean on = new AtomicBoolean(true);
        final Thread thread;

        Traffic(int port) {
            thread = new Thread(() -> {
                while (on.get()) {
                    try {
                        answers.computeIfAbsent(served(port), k -> new AtomicLong()).incrementAndGet();
                    } catch (Exception e) {
                        failed.incrementAndGet();
                    }
                }
            });
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            on.set(false);
            thread.join(15_000);
        }
    }

    /** Issue 9 §4: a staging deploy never changes who answers production. */
    @Test
    void productionAndStagingRunSideBySideAndAStagingDeployNeverTouchesProduction() throws Exception {
        int prodPort = freePort();
        int stagingPort = freePort();
        LocalTarget prod = target(LocalTarget.PRODUCTION, prodPort);
        LocalTarget staging = target(LocalTarget.STAGING, stagingPort);
        bg(prod).deploy(cfg("1"));
        bg(staging).deploy(cfg("7"));
        try (Traffic onProd = new Traffic(prodPort); Traffic onStaging = new Traffic(stagingPort)) {
            Release r = bg(staging).deploy(cfg("8"));
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
            Thread.sleep(300);
            onProd.close();
            onStaging.close();
            System.out.printf("side by side: production answers %s (failed %d), staging answers %s (failed %d)%n",
                    onProd.answers, onProd.failed.get(), onStaging.answers, onStaging.failed.get());
            assertThat(onProd.answers.keySet()).as("who answered production during the staging deploy")
                    .containsExactly("200 v1");
            assertThat(onProd.failed.get()).isZero();
            assertThat(onStaging.answers.keySet()).contains("200 v8");
            assertThat(onStaging.failed.get()).isZero();
        }
        assertThat(prod.activeColor()).contains(Color.BLUE);
        assertThat(prod.ledger().read()).extracting(Release::modelVersion).containsExactly("1");
        assertThat(staging.ledger().read()).extracting(Release::modelVersion).containsExactly("8", "7");
        assertThat(prod.stateDir()).isNotEqualTo(staging.stateDir());
        // Staging cannot take production's port either.
        LocalTarget clash = target(LocalTarget.STAGING + "-2", prodPort);
        assertThatThrownBy(() -> bg(clash).deploy(cfg("9"))).hasMessageContaining("is served by the production environment");
        assertThat(served(prodPort)).isEqualTo("200 v1");
    }

    /** Issue 9 §6: a corrupt proxy.json is kept aside and the truth recovered from the running processes. */
    @Test
    void aCorruptProxyStateIsRecoveredFromTheRunningProcessesAndTrafficNeverStops() throws Exception {
        int port = freePort();
        LocalTarget t = target(LocalTarget.PRODUCTION, port);
        bg(t).deploy(cfg("1"));
        bg(t).deploy(cfg("2")); // green serves v2, blue v1 warm
        Path proxyJson = t.stateDir().resolve("proxy.json");
        Files.writeString(proxyJson, "{\"pid\": 12, \"active\": \"purple\"");
        Files.writeString(t.stateDir().resolve("blue.json"), "not json at all");
        try (Traffic traffic = new Traffic(port)) {
            LocalTarget next = target(LocalTarget.PRODUCTION, port); // the next command
            Release r = bg(next).deploy(cfg("3"));
            traffic.close();
            System.out.printf("corrupt proxy.json and blue.json, next deploy: answers %s, failed %d%n", traffic.answers,
                    traffic.failed.get());
            assertThat(r.color()).as("deployed to the idle color, not over the serving one").isEqualTo(Color.BLUE);
            assertThat(traffic.failed.get()).isZero();
            assertThat(traffic.answers.keySet()).containsOnly("200 v2", "200 v3");
        }
        String text = String.join("\n", lines);
        assertThat(text).contains("proxy.json is corrupt", "recovered proxy.json from the running proxy",
                "traffic is on green", "recovered blue.json from its running process");
        try (var files = Files.list(t.stateDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("proxy.json.corrupt-"))
                    .anyMatch(n -> n.startsWith("blue.json.corrupt-"));
        }
        assertThat(served(port)).isEqualTo("200 v3");
    }

    @Test
    void aCorruptProxyStateThatCannotBeRecoveredStopsWithExit3BeforeTouchingAnything() throws Exception {
        int port = freePort();
        LocalTarget t = target(LocalTarget.PRODUCTION, port);
        bg(t).deploy(cfg("1"));
        bg(t).deploy(cfg("2"));
        // The proxy is gone and the ledger, which would say who served last, is gone too.
        killProxy(t);
        Files.delete(t.stateDir().resolve("releases.json"));
        Files.writeString(t.stateDir().resolve("proxy.json"), "{\"pid\":");
        byte[] green = Files.readAllBytes(t.stateDir().resolve("green.json"));

        LocalTarget next = target(LocalTarget.PRODUCTION, port);
        assertThatThrownBy(() -> bg(next).deploy(cfg("3"))).isInstanceOf(InfraException.class)
                .hasMessageContaining("proxy.json (copy: proxy.json.corrupt-")
                .hasMessageContaining("no proxy runs, and the ledger does not say which running color served last")
                .hasMessageContaining("Nothing was changed. To repair:");
        assertThat(Files.readString(t.stateDir().resolve("proxy.json"))).as("kept for the retry").isEqualTo("{\"pid\":");
        assertThat(Files.readAllBytes(t.stateDir().resolve("green.json"))).isEqualTo(green);
        assertThat(next.lock().current()).isEmpty();
    }

    /** Issue 9 §8: status reports a dead proxy; the next deploy restarts it on the last known upstream. */
    @Test
    void statusReportsADeadProxyAndTheNextDeployRestartsItOnTheLastUpstream() throws Exception {
        int port = freePort();
        LocalTarget t = target(LocalTarget.PRODUCTION, port);
        bg(t).deploy(cfg("1"));
        killProxy(t);

        DeployStatus s = bg(target(LocalTarget.PRODUCTION, port)).status("demo");
        assertThat(s.slots()).extracting(sl -> sl.readyReplicas() + "/" + sl.desiredReplicas()).containsExactly("1/1");
        assertThat(s.endpoint().ok()).isFalse();
        assertThat(s.endpoint().error()).contains("unreachable");
        assertThat(s.healthy()).isFalse();

        // A deploy that fails before its switch still brings the public endpoint back first.
        DeployConfig broken = new DeployConfig("demo", "crash", "cancer", "2", null, "sha2", 1, 1,
                Duration.ofSeconds(60), null, null, null, null, null, null, "tester", null, null);
        assertThatThrownBy(() -> bg(target(LocalTarget.PRODUCTION, port)).deploy(broken)).hasMessageContaining("exited");
        assertThat(String.join("\n", lines)).contains("was gone and public port " + port
                + " refused connections; restarted it on the last known upstream blue");
        assertThat(served(port)).isEqualTo("200 v1");
        assertThat(bg(target(LocalTarget.PRODUCTION, port)).status("demo").healthy()).isTrue();
    }

    @Test
    void eachColorsLogStartsFreshSoAnErrorQuotesOnlyThisRun() throws Exception {
        int port = freePort();
        LocalTarget t = new LocalTarget("demo", new LocalTarget.Config(app, LocalTarget.PRODUCTION, port,
                List.of("sh", "-c", "echo cannot load model v{version}; exit 3"), LocalCommands.proxy(),
                Duration.ofSeconds(60)), client, log, Clock.systemUTC());
        targets.add(t);
        assertThatThrownBy(() -> bg(t).deploy(cfg("5"))).hasMessageContaining("cannot load model v5");
        assertThatThrownBy(() -> bg(t).deploy(cfg("6"))).hasMessageContaining("cannot load model v6")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("v5"));
        assertThat(Files.readString(t.stateDir().resolve("blue.log.prev"))).contains("v5");
        TimeUnit.MILLISECONDS.sleep(10);
    }
}
