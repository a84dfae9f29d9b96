package dev.mlops.serve.proxy;

import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.DeployFailedException;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.Outcome;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.RollbackConfig;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.SmokeSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The local target end to end with real processes: model servers (a fake one, as its own JVM) behind the proxy (as its
 * own JVM). Steady traffic runs through the public port during deploys, switches and a rollback; not one request may
 * fail.
 */
class ZeroDowntimeTest {
    static final List<List<Double>> ROWS = List.of(List.of(5.0, 1.0), List.of(15.0, 2.0));
    static final List<String> EXPECTED = List.of("benign", "malignant");

    @TempDir
    Path state;
    LocalTarget target;
    BlueGreen bg;
    final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    int publicPort;

    @BeforeEach
    void setUp() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            publicPort = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> server = List.of(java, "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", cp,
                FakeModelServer.class.getName(), "--port", "{port}", "--version", "{version}",
                "--fail-predict", "{image}");
        List<String> proxy = List.of(java, "-Xmx128m", "-cp", cp, ProxyMain.class.getName(), "--port", "{port}",
                "--admin-port", "{adminPort}", "--upstream", "{upstream}");
        Log log = new Log() {
            @Override public void info(String m) { lines.add(m); }
            @Override public void warn(String m) { lines.add("WARNING: " + m); }
        };
        HttpServerClient client = new HttpServerClient(Duration.ofSeconds(5));
        target = new LocalTarget("demo", new LocalTarget.Config(state, publicPort, server, proxy, Duration.ofSeconds(60)),
                client, log, Clock.systemUTC());
        bg = new BlueGreen(target, null, client, log, Clock.systemUTC(), Sleeper.REAL);
    }

    @AfterEach
    void tearDown() {
        target.stopAll();
    }

    /** {@code image} is passed to the fake as --fail-predict, so "true" plays a version that breaks under traffic. */
    static DeployConfig cfg(String version, String image) {
        return new DeployConfig("demo", image, "cancer", version, null, "sha" + version, 1, 1, Duration.ofSeconds(60),
                new SmokeSpec(ROWS, EXPECTED, null, Duration.ofSeconds(2), Duration.ofSeconds(20)),
                Duration.ofSeconds(1), Duration.ofMillis(250), 0.0, 5, null, "tester", null, null);
    }

    @Test
    void aServerThatCannotStartFailsFastWithItsOwnLogAndTrafficStays() throws Exception {
        bg.deploy(cfg("1", "false"));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> bg.deploy(cfg("2", "crash"))).isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("exited with code 3").hasMessageContaining("cannot load model");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("no wait for the 60 s timeout").isLessThan(Duration.ofSeconds(30));
        assertThat(target.activeColor()).contains(Color.BLUE);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + publicPort + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("X-Model-Version")).contains("1");
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(target.lock().current()).isEmpty();
    }

    @Test
    void noRequestFailsDuringDeploysSwitchesAndARollback() throws Exception {
        Release first = bg.deploy(cfg("1", "false"));
        assertThat(first.color()).isEqualTo(Color.BLUE);

        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong ok = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<String> errors = Collections.synchronizedList(new ArrayList<>());
        Set<String> versions = ConcurrentHashMap.newKeySet();
        URI health = URI.create("http://127.0.0.1:" + publicPort + "/health");
        URI predict = URI.create("http://127.0.0.1:" + publicPort + "/predict");
        List<Thread> load = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                long i = 0;
                while (running.get() && i < 200_000) { // bounded even if the test logic goes wrong
                    HttpRequest req = i++ % 2 == 0 ? HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(10)).build()
                            : HttpRequest.newBuilder(predict).timeout(Duration.ofSeconds(10))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[[15.0,1.0]]}")).build();
                    try {
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200) {
                            ok.incrementAndGet();
                            r.headers().firstValue("X-Model-Version").ifPresent(versions::add);
                        } else {
                            failed.incrementAndGet();
                            errors.add("HTTP " + r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failed.incrementAndGet();
                        errors.add(e.toString());
                    }
                }
            });
            th.start();
            load.add(th);
        }
        try {
            assertThat(bg.deploy(cfg("2", "false")).color()).isEqualTo(Color.GREEN);
            Release rb = bg.rollback(new RollbackConfig("demo", "previous", 1, 1, null, null, Duration.ofSeconds(1),
                    Duration.ofMillis(250), null, null, null, "tester", null, null));
            assertThat(rb.modelVersion()).isEqualTo("1");
            assertThat(target.activeColor()).contains(Color.BLUE);
            assertThat(bg.deploy(cfg("3", "false")).color()).isEqualTo(Color.GREEN);
            // A version that breaks under traffic: caught by the smoke test before any user request reaches it.
            assertThatThrownBy(() -> bg.deploy(cfg("4", "true"))).isInstanceOf(DeployFailedException.class)
                    .hasMessageContaining("/predict answered HTTP 500");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (ok.get() + failed.get() < 10_000 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            running.set(false);
            for (Thread th : load) {
                th.join(15_000);
            }
        }
        assertThat(errors).as("failed requests").isEmpty();
        assertThat(failed.get()).isZero();
        assertThat(ok.get()).isGreaterThanOrEqualTo(10_000);
        assertThat(versions).contains("1", "2", "3").doesNotContain("4");
        assertThat(target.activeColor()).contains(Color.GREEN);
        assertThat(target.ledger().read()).extracting(Release::modelVersion, Release::outcome).startsWith(
                org.assertj.core.groups.Tuple.tuple("4", Outcome.FAILED),
                org.assertj.core.groups.Tuple.tuple("3", Outcome.SUCCEEDED));
        assertThat(target.lock().current()).isEmpty();
    }
}
