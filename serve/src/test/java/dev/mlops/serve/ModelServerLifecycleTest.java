package dev.mlops.serve;

import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Readiness before warm-up and while draining; no request lost during a graceful stop. */
class ModelServerLifecycleTest {
    static ServedModel model;
    static final String ROW = "{\"features\": [3.0, 2.5, 0.1]}";

    @BeforeAll
    static void load() throws Exception {
        model = new ServedModel(ModelArtifact.load(Models.linear()), null, "7", "test");
    }

    @Test
    void notReadyUntilWarmedUpButAliveAndAnswering() {
        ModelServer server = new ModelServer(model, ServeConfig.forTests(), Log.NONE);
        server.open();
        try {
            Http http = new Http(server.port());
            Http.Reply ready = http.get("/ready");
            assertThat(ready.status()).isEqualTo(503);
            assertThat(ready.json().get("reason").asText()).isEqualTo("warming up");
            assertThat(ready.header("X-Model-Version")).isEqualTo("7");
            assertThat(http.get("/v2/health/ready").status()).isEqualTo(503);
            assertThat(http.get("/v2/models/demo/ready").status()).isEqualTo(503);
            assertThat(http.get("/health").status()).isEqualTo(200);
            assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
            assertThat(server.isReady()).isFalse();

            server.warmUp();
            assertThat(http.get("/ready").status()).isEqualTo(200);
            assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        } finally {
            server.stop();
        }
    }

    @Test
    void aPortInUseIsAnInfrastructureErrorNamingIt() {
        ModelServer first = new ModelServer(model, ServeConfig.forTests(), Log.NONE).start();
        try {
            ModelServer second = new ModelServer(model, ServeConfig.forTests().withPort(first.port()), Log.NONE);
            org.assertj.core.api.Assertions.assertThatThrownBy(second::open)
                    .isInstanceOf(dev.mlops.engine.InfraException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        } finally {
            first.stop();
        }
    }

    @Test
    @Timeout(20)
    void drainingTurnsReadinessOffButKeepsServingDuringTheGrace() throws Exception {
        ModelServer server = new ModelServer(model,
                ServeConfig.forTests().withDrain(Duration.ofSeconds(5), Duration.ofMillis(800)), Log.NONE).start();
        Http http = new Http(server.port());
        Thread stopper = new Thread(server::stop);
        stopper.start();
        while (http.get("/ready").status() == 200) {
            Thread.sleep(5);
        }
        Http.Reply ready = http.get("/ready");
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("reason").asText()).isEqualTo("draining");
        assertThat(http.get("/health").status()).isEqualTo(200);
        String raw = Http.raw(server.port(), "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + ROW.length() + "\r\n\r\n" + ROW);
        assertThat(raw).startsWith("HTTP/1.1 200").containsIgnoringCase("Connection: close").contains("\"prediction\":\"pos\"");
        stopper.join();
        assertThat(server.isReady()).isFalse();
    }

    @Test
    @Timeout(20)
    void aRequestInFlightWhenStopBeginsIsAnswered() throws Exception {
        ModelServer server = new ModelServer(model, ServeConfig.forTests(), Log.NONE).start();
        byte[] body = ROW.getBytes(StandardCharsets.UTF_8);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, 0, 10);
            out.flush();
            Thread.sleep(200); // the handler is now blocked reading the rest of the body

            Thread stopper = new Thread(server::stop);
            stopper.start();
            Thread.sleep(300);
            assertThat(stopper.isAlive()).as("stop waits for the request in flight").isTrue();

            out.write(body, 10, body.length - 10);
            out.flush();
            InputStream in = s.getInputStream();
            String response = Http.readAll(in);
            assertThat(response).startsWith("HTTP/1.1 200").contains("\"prediction\":\"pos\"");
            stopper.join();
        }
    }

    @Test
    @Timeout(20)
    void stopIsBoundedByTheDrainTimeoutWhenAClientHangs() throws Exception {
        ModelServer server = new ModelServer(model,
                ServeConfig.forTests().withDrain(Duration.ofMillis(500), Duration.ZERO), Log.NONE).start();
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"feat").getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            Thread.sleep(200);
            server.stop(); // returns although the body never completes; the JUnit timeout fails the test otherwise
            server.awaitStopped();
        }
    }

    /**
     * Clients send predictions continuously through keep-alive connections while the server stops. Like a load
     * balancer, they stop sending new requests once /ready turns 503; every request they did send must succeed.
     */
    @Test
    @Timeout(30)
    void noRequestFailsWhileShuttingDown() throws Exception {
        ModelServer server = new ModelServer(model,
                ServeConfig.forTests().withDrain(Duration.ofSeconds(10), Duration.ofMillis(500)), Log.NONE).start();
        URI predict = URI.create("http://127.0.0.1:" + server.port() + "/predict");
        URI readyUri = URI.create("http://127.0.0.1:" + server.port() + "/ready");
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicBoolean routed = new AtomicBoolean(true);
        AtomicInteger ok = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
        for (int c = 0; c < 4; c++) {
            Thread t = new Thread(() -> {
                while (routed.get()) {
                    try {
                        HttpResponse<String> r = client.send(HttpRequest.newBuilder(predict)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(ROW)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 200 && r.body().contains("\"pos\"")) {
                            ok.incrementAndGet();
                        } else {
                            failures.add(r.statusCode() + " " + r.body());
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            });
            threads.add(t);
            t.start();
        }
        Thread balancer = new Thread(() -> {
            HttpClient probe = HttpClient.newHttpClient();
            while (routed.get()) {
                try {
                    if (probe.send(HttpRequest.newBuilder(readyUri).build(), HttpResponse.BodyHandlers.discarding())
                            .statusCode() != 200) {
                        routed.set(false);
                    }
                    Thread.sleep(20);
                } catch (Exception e) {
                    routed.set(false);
                    failures.add("readiness probe: " + e);
                }
            }
        });
        balancer.start();
        Thread.sleep(400);
        int before = ok.get();
        server.stop();
        balancer.join();
        for (Thread t : threads) {
            t.join();
        }
        assertThat(before).as("requests served before the stop").isGreaterThan(0);
        assertThat(failures).isEmpty();
        assertThat(ok.get()).isGreaterThanOrEqualTo(before);
    }
}
