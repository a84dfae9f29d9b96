package dev.mlops.serve.proxy;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.LocalStateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchableProxyTest {
    @TempDir
    Path state;
    private final List<HttpServer> upstreams = new ArrayList<>();
    private SwitchableProxy proxy;
    private LocalStateFixture fixture;
    private String secret;
    private final ByteArrayOutputStream adminLog = new ByteArrayOutputStream();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void state() {
        fixture = new LocalStateFixture(state);
        secret = fixture.secret();
    }

    @AfterEach
    void stop() {
        if (proxy != null) {
            proxy.stop(Duration.ZERO);
        }
        upstreams.forEach(s -> s.stop(0));
    }

    /** An upstream answering its name; /slow waits for the latch first. */
    private URI upstream(String name, CountDownLatch slowGate, CountDownLatch slowArrived) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        s.createContext("/", ex -> {
            if (ex.getRequestURI().getPath().equals("/slow")) {
                slowArrived.countDown();
                try {
                    slowGate.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] b = (name + " " + ex.getRequestMethod() + " " + ex.getRequestURI()).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("X-Model-Version", name);
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        s.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        s.start();
        upstreams.add(s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    private URI simple(String name) throws IOException {
        return upstream(name, new CountDownLatch(0), new CountDownLatch(1));
    }

    private void start(URI first) {
        proxy = SwitchableProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0, first, state,
                SwitchableProxy.Limits.defaults(), new PrintStream(adminLog, true, StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> admin(String method, String body, String auth) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort() + "/-/upstream"))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (auth != null) {
            b.header("Authorization", auth);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> switchTo(URI u) throws Exception {
        return admin("PUT", u.toString(), "Bearer " + secret);
    }

    @Test
    void inFlightRequestsFinishOnTheOldUpstreamWhileNewOnesGoToTheNew() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        URI a = upstream("A", gate, arrived);
        URI b = simple("B");
        fixture.color(Color.BLUE, a.getPort(), ProcessHandle.current());
        fixture.color(Color.GREEN, b.getPort(), ProcessHandle.current());
        start(a);

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

        // The switch goes through the admin port, as the deployer does it.
        HttpResponse<String> sw = switchTo(b);
        assertThat(sw.statusCode()).isEqualTo(200);
        assertThat(sw.body()).isEqualTo("{\"upstream\":\"" + b + "\",\"previous\":\"" + a + "\"}");
        HttpResponse<String> fresh = get("/predict?x=1");
        assertThat(fresh.body()).isEqualTo("B GET /predict?x=1");
        assertThat(fresh.headers().firstValue("X-Model-Version")).contains("B");

        gate.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("A GET /slow");
        assertThat(proxy.failed()).isZero();
        assertThat(adminLog.toString(StandardCharsets.UTF_8)).contains("admin: upstream " + a + " -> " + b);
    }

    @Test
    void bodiesAndMethodsAreForwarded() throws Exception {
        URI a = simple("A");
        fixture.color(Color.BLUE, a.getPort(), ProcessHandle.current());
        start(a);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port()
                + "/predict")).POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[[1]]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("A POST /predict");
    }

    @Test
    void aDeadUpstreamIsAJson502() throws Exception {
        URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        fixture.color(Color.BLUE, dead.getPort(), ProcessHandle.current());
        start(dead);
        HttpResponse<String> r = get("/health");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
        assertThat(r.body()).isEqualTo("{\"error\":\"upstream " + dead + " refused the connection\"}");
        assertThat(proxy.failed()).isEqualTo(1);
    }

    /** Issue 9 §5: without the secret, or for an upstream this environment did not start, nothing changes. */
    @Test
    void adminRefusesCallersWithoutTheSecretAndUpstreamsThisEnvironmentDidNotStart() throws Exception {
        URI a = simple("A");
        URI b = simple("B");
        URI foreign = simple("EVIL"); // a server on this machine that no deploy of this environment started
        fixture.color(Color.BLUE, a.getPort(), ProcessHandle.current());
        fixture.color(Color.GREEN, b.getPort(), ProcessHandle.current());
        start(a);

        HttpResponse<String> none = admin("PUT", b.toString(), null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).isEqualTo("{\"error\":\"missing or wrong admin secret\"}");
        assertThat(admin("PUT", b.toString(), "Bearer " + "0".repeat(64)).statusCode()).isEqualTo(401);
        assertThat(admin("GET", null, null).statusCode()).as("reading needs the secret too").isEqualTo(401);
        assertThat(proxy.upstream()).isEqualTo(a);

        HttpResponse<String> evil = switchTo(foreign);
        assertThat(evil.statusCode()).isEqualTo(403);
        assertThat(evil.body()).contains("is not a server this environment started");
        assertThat(switchTo(URI.create("http://10.0.0.7:8080")).statusCode()).isEqualTo(403);
        assertThat(switchTo(URI.create("http://127.0.0.1:" + b.getPort() + "/x")).statusCode()).isEqualTo(403);
        // A color whose recorded process is gone is not an upstream either (its port may belong to anyone now).
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        fixture.color(Color.GREEN, b.getPort(), gone.toHandle());
        assertThat(switchTo(b).statusCode()).isEqualTo(403);
        assertThat(get("/who").body()).as("traffic never moved").isEqualTo("A GET /who");
        assertThat(adminLog.toString(StandardCharsets.UTF_8)).contains("admin: refused PUT /-/upstream from",
                ": no secret", ": wrong secret", "admin: refused the switch to " + foreign);
        assertThat(adminLog.toString(StandardCharsets.UTF_8)).doesNotContain(secret);

        fixture.color(Color.GREEN, b.getPort(), ProcessHandle.current());
        assertThat(switchTo(b).statusCode()).isEqualTo(200);
        assertThat(get("/who").body()).isEqualTo("B GET /who");
        assertThatThrownBy(() -> proxy.switchTo(foreign)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aSecretFileOthersCanReadDisablesTheAdminPort() throws Exception {
        URI a = simple("A");
        URI b = simple("B");
        fixture.color(Color.BLUE, a.getPort(), ProcessHandle.current());
        fixture.color(Color.GREEN, b.getPort(), ProcessHandle.current());
        start(a);
        Files.setPosixFilePermissions(state.resolve("proxy.secret"), PosixFilePermissions.fromString("rw-r--r--"));
        HttpResponse<String> r = switchTo(b);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("readable by others");
        assertThat(proxy.upstream()).isEqualTo(a);
    }

    @Test
    void anUpstreamNotStartedHereIsRefusedAtStart() throws Exception {
        URI a = simple("A");
        assertThatThrownBy(() -> start(a)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a server this environment started");
    }
}
