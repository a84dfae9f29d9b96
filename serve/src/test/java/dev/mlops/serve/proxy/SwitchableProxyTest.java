package dev.mlops.serve.proxy;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SwitchableProxyTest {
    private final List<HttpServer> upstreams = new ArrayList<>();
    private SwitchableProxy proxy;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

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

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inFlightRequestsFinishOnTheOldUpstreamWhileNewOnesGoToTheNew() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch arrived = new CountDownLatch(1);
        URI a = upstream("A", gate, arrived);
        URI b = upstream("B", new CountDownLatch(0), new CountDownLatch(1));
        proxy = SwitchableProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0, a, 8,
                Duration.ofSeconds(10));

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + proxy.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();

        // The switch goes through the admin port, as the deployer does it.
        HttpResponse<String> sw = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort()
                + "/-/upstream")).PUT(HttpRequest.BodyPublishers.ofString(b.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(sw.statusCode()).isEqualTo(200);
        HttpResponse<String> fresh = get("/predict?x=1");
        assertThat(fresh.body()).isEqualTo("B GET /predict?x=1");
        assertThat(fresh.headers().firstValue("X-Model-Version")).contains("B");

        gate.countDown();
        assertThat(slow.get(5, TimeUnit.SECONDS).body()).isEqualTo("A GET /slow");
        assertThat(proxy.failed()).isZero();
    }

    @Test
    void bodiesAndMethodsAreForwarded() throws Exception {
        proxy = SwitchableProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0,
                upstream("A", new CountDownLatch(0), new CountDownLatch(1)), 4, Duration.ofSeconds(5));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.port()
                + "/predict")).POST(HttpRequest.BodyPublishers.ofString("{\"instances\":[[1]]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).isEqualTo("A POST /predict");
    }

    @Test
    void deadUpstreamIsA502AndBadUpstreamIsRefused() throws Exception {
        URI dead;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            dead = URI.create("http://127.0.0.1:" + s.getLocalPort());
        }
        proxy = SwitchableProxy.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0, dead, 4,
                Duration.ofSeconds(5));
        assertThat(get("/health").statusCode()).isEqualTo(502);
        assertThat(proxy.failed()).isEqualTo(1);

        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + proxy.adminPort()
                + "/-/upstream")).PUT(HttpRequest.BodyPublishers.ofString("ftp://nowhere")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(proxy.upstream()).isEqualTo(dead);
        assertThatThrownBy(() -> proxy.switchTo(URI.create("http://no-port"))).isInstanceOf(IllegalArgumentException.class);
    }
}
