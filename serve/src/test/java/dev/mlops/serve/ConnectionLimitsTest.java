package dev.mlops.serve;

import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 items 1 and 3: abusive clients cannot hold the server. A connection cap where the oldest idle connection
 * makes room, idle connections closed, bounded time for headers and for the body (a chunked body that never ends
 * included), and a listener that comes back if it dies.
 */
class ConnectionLimitsTest {
    static ServedModel model;
    static final Duration SHORT = Duration.ofMillis(400);

    @BeforeAll
    static void load() throws Exception {
        model = new ServedModel(ModelArtifact.load(Models.linear()), null, "7", "test");
    }

    private static ModelServer start(int maxConnections, Duration idle, Duration headers, Duration body) {
        return new ModelServer(model, ServeConfig.forTests()
                .withConnections(new ServeConfig.Connections(maxConnections, idle, headers, body)), Log.NONE).start();
    }

    static long metric(ModelServer server, String name) {
        String text = new Http(server.port()).get("/metrics").body();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? ([0-9.eE+]+)$").matcher(text);
        assertThat(m.find()).as(name + " in /metrics").isTrue();
        return (long) Double.parseDouble(m.group(2));
    }

    @Test
    @Timeout(60)
    void atTheCapNewConnectionsDisplaceTheOldestIdleOnesAndHealthAnswersThroughout() throws Exception {
        ModelServer server = start(40, null, null, null);
        List<SocketChannel> flood = null;
        try {
            // 100: beyond the cap of 40, but within the 64 newcomers that may be making room at once, so none is
            // refused however far the event loops lag behind the acceptor.
            flood = Sockets.open(server.port(), 100);
            assertThat(flood).hasSize(100);
            Set<Integer> closed = Sockets.closedByServer(flood, 60, Duration.ofSeconds(20));
            assertThat(closed.size()).as("idle connections the server let go").isGreaterThanOrEqualTo(60);
            // Oldest idle first (per event loop, so approximately overall).
            assertThat(closed.stream().filter(i -> i < 40).count()).as("of the 40 oldest, closed").isGreaterThanOrEqualTo(30);
            assertThat(closed.stream().filter(i -> i >= 90).count()).as("of the 10 newest, closed").isLessThanOrEqualTo(3);
            // A newcomer still gets in (displacing an idle flood connection) and is answered.
            assertThat(Sockets.health(server.port(), Duration.ofSeconds(5))).startsWith("HTTP/1.1 200");
            long held = metric(server, "mlops_open_connections");
            for (long until = System.nanoTime() + 10_000_000_000L; held > 41 && System.nanoTime() < until; ) {
                Thread.sleep(50);
                held = metric(server, "mlops_open_connections");
            }
            assertThat(held).as("connections held (the cap, plus the /metrics request)").isLessThanOrEqualTo(40 + 1);
            assertThat(metric(server, "mlops_connections_closed_total{reason=\"displaced\"}")).isGreaterThanOrEqualTo(60);
            assertThat(metric(server, "mlops_connections_refused_total")).isZero();
            Sockets.closeAll(flood);
            assertThat(Sockets.healthWithin(server.port(), Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
        } finally {
            if (flood != null) {
                Sockets.closeAll(flood);
            }
            server.stop();
        }
    }

    @Test
    @Timeout(60)
    void whenEveryConnectionIsBusyANewOneIsRefusedAtOnceAndServedOnceTheyLeave() throws Exception {
        ModelServer server = start(5, null, Duration.ofSeconds(30), null);
        Socket[] busy = new Socket[5];
        try {
            for (int i = 0; i < busy.length; i++) {
                busy[i] = new Socket("127.0.0.1", server.port());
                busy[i].getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                busy[i].getOutputStream().flush();
            }
            Thread.sleep(300);
            try (Socket extra = new Socket("127.0.0.1", server.port())) {
                Sockets.Read r = Sockets.readUntilClosed(extra, Duration.ofSeconds(5));
                assertThat(r.closed()).as("the sixth connection is closed, not left hanging").isTrue();
            }
        } finally {
            for (Socket s : busy) {
                if (s != null) {
                    s.close();
                }
            }
        }
        try {
            assertThat(Sockets.healthWithin(server.port(), Duration.ofSeconds(10))).startsWith("HTTP/1.1 200");
            assertThat(metric(server, "mlops_connections_refused_total")).isGreaterThanOrEqualTo(1);
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
        ModelServer server = start(0, SHORT, null, null);
        try (Socket silent = new Socket("127.0.0.1", server.port());
             Socket keptAlive = new Socket("127.0.0.1", server.port())) {
            keptAlive.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            keptAlive.getOutputStream().flush();
            Sockets.Read served = Sockets.readUntilClosed(keptAlive, Duration.ofSeconds(10));
            assertThat(served.text()).startsWith("HTTP/1.1 200");
            assertThat(served.closed()).as("a keep-alive connection with nothing more to do is closed").isTrue();
            assertThat(Sockets.readUntilClosed(silent, Duration.ofSeconds(10)).closed())
                    .as("a connection that never sends a byte is closed").isTrue();
            assertThat(metric(server, "mlops_connections_closed_total{reason=\"idle\"}")).isGreaterThanOrEqualTo(2);
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void headersThatNeverEndGet408AfterTheHeaderTimeoutEvenWhileBytesTrickleIn() throws Exception {
        ModelServer server = start(0, Duration.ofSeconds(30), SHORT, null);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            try (Trickle t = new Trickle(out, "a")) {
                Sockets.Read r = Sockets.readUntilClosed(s, Duration.ofSeconds(10));
                assertThat(r.closed()).isTrue();
                assertThat(r.text()).startsWith("HTTP/1.1 408").contains("--header-timeout")
                        .containsIgnoringCase("connection: close").containsIgnoringCase("X-Model-Version: 7");
            }
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void aChunkedBodyThatNeverEndsGets408AfterTheBodyTimeout() throws Exception {
        ModelServer server = start(0, Duration.ofSeconds(30), Duration.ofSeconds(30), SHORT);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n1\r\n{\r\n").getBytes(StandardCharsets.US_ASCII));
            // One-byte chunks forever: never over the size limit, never idle.
            try (Trickle t = new Trickle(out, "1\r\n \r\n")) {
                Sockets.Read r = Sockets.readUntilClosed(s, Duration.ofSeconds(10));
                assertThat(r.closed()).isTrue();
                assertThat(r.text()).startsWith("HTTP/1.1 408").contains("--body-timeout")
                        .contains("\"error_code\"").containsIgnoringCase("X-Model-Version: 7");
            }
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void aBodyShorterThanItsContentLengthGets408AfterTheBodyTimeout() throws Exception {
        ModelServer server = start(0, Duration.ofSeconds(30), Duration.ofSeconds(30), SHORT);
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\n\r\n{\"feat").getBytes(StandardCharsets.US_ASCII));
            Sockets.Read r = Sockets.readUntilClosed(s, Duration.ofSeconds(10));
            assertThat(r.closed()).isTrue();
            assertThat(r.text()).startsWith("HTTP/1.1 408").contains("request body not received within");
            assertThat(metric(server, "mlops_http_requests_total{model_name=\"demo\",model_version=\"7\","
                    + "endpoint=\"/predict\",status=\"408\"}")).isEqualTo(1);
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void slowButSteadyRequestsWithinTheLimitsAreServed() throws Exception {
        ModelServer server = start(0, Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
        String body = "{\"features\": [3.0, 2.5, 0.1]}";
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            OutputStream out = s.getOutputStream();
            String req = "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                    + body.length() + "\r\nConnection: close\r\n\r\n" + body;
            for (int i = 0; i < req.length(); i += 20) {
                out.write(req.substring(i, Math.min(req.length(), i + 20)).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(30);
            }
            Sockets.Read r = Sockets.readUntilClosed(s, Duration.ofSeconds(10));
            assertThat(r.text()).startsWith("HTTP/1.1 200").contains("\"prediction\":\"pos\"");
        } finally {
            server.stop();
        }
    }

    @Test
    @Timeout(30)
    void theListenerIsReopenedIfItEverCloses() throws Exception {
        ModelServer server = start(0, null, null, null);
        try {
            int port = server.port();
            server.listenerForTests().close().sync();
            assertThat(Sockets.healthWithin(port, Duration.ofSeconds(15))).startsWith("HTTP/1.1 200");
            assertThat(server.port()).isEqualTo(port);
        } finally {
            server.stop();
        }
    }

    /** Writes {@code unit} every 50 ms on a daemon thread until closed or the server hangs up. */
    static final class Trickle implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Trickle(OutputStream out, String unit) {
            byte[] b = unit.getBytes(StandardCharsets.US_ASCII);
            thread = new Thread(() -> {
                try {
                    while (running.get()) {
                        out.write(b);
                        out.flush();
                        Thread.sleep(50);
                    }
                } catch (IOException | InterruptedException e) {
                    // the server hung up, or the test is done
                }
            }, "trickle");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(2000);
        }
    }
}
