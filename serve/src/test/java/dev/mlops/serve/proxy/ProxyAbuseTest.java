package dev.mlops.serve.proxy;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.LocalStateFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 9 §7: the proxy as production runs it (its own JVM, {@code -Xmx128m}) against abusive clients: slow bodies,
 * slow headers, a connection flood, a 300 MB body. Normal requests must keep being served, every refusal is JSON,
 * and the proxy's memory stays bounded. Figures are printed for the report.
 */
@org.junit.jupiter.api.Timeout(120)
class ProxyAbuseTest {
    @TempDir
    Path state;
    private HttpServer upstream;
    private Process proxy;
    private int port;
    private int adminPort;
    private String secret;
    private final List<Socket> sockets = Collections.synchronizedList(new ArrayList<>());
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void upstream() throws IOException {
        upstream = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
        upstream.createContext("/", ex -> {
            byte[] in = ex.getRequestBody().readAllBytes();
            byte[] b = ("{\"ok\":true,\"got\":" + in.length + "}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("X-Model-Version", "1");
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(b);
            }
        });
        upstream.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        upstream.start();
        LocalStateFixture f = new LocalStateFixture(state);
        secret = f.secret();
        f.color(Color.BLUE, upstream.getAddress().getPort(), ProcessHandle.current());
    }

    @AfterEach
    void stop() throws Exception {
        for (Socket s : List.copyOf(sockets)) {
            s.close();
        }
        if (proxy != null) {
            proxy.destroyForcibly();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
        upstream.stop(0);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private void startProxy(String... extra) throws Exception {
        port = freePort();
        adminPort = freePort();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-cp", System.getProperty("java.class.path"), ProxyMain.class.getName(),
                "--port", String.valueOf(port), "--admin-port", String.valueOf(adminPort),
                "--upstream", "http://127.0.0.1:" + upstream.getAddress().getPort(), "--state-dir", state.toString()));
        cmd.addAll(List.of(extra));
        proxy = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(proxy.getInputStream(), StandardCharsets.UTF_8));
        String first = out.readLine();
        assertThat(first).as("proxy started").startsWith("proxy: port " + port);
        Thread drain = new Thread(() -> {
            try {
                while (out.readLine() != null) {
                    // keep the pipe empty
                }
            } catch (IOException ignored) {
                // the proxy went away
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    private HttpResponse<String> health(Duration timeout) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(timeout)
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private long stat(String name) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/-/stats"))
                .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
        return dev.mlops.engine.Json.MAPPER.readTree(r.body()).path(name).asLong();
    }

    private Socket open() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(30_000);
        sockets.add(s);
        return s;
    }

    private static String readAll(Socket s) {
        try {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "(" + e.getMessage() + ")";
        }
    }

    @Test
    void slowBodyClientsNeitherStarveOtherRequestsNorHoldConnectionsPastTheBodyTimeout() throws Exception {
        startProxy("--body-timeout-ms", "6000", "--header-timeout-ms", "4000");
        int slow = 64; // twice the thread pool that 33 clients exhausted before
        AtomicBoolean trickle = new AtomicBoolean(true);
        List<Socket> slowOnes = new ArrayList<>();
        for (int i = 0; i < slow; i++) {
            Socket s = open();
            s.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
            slowOnes.add(s);
        }
        Socket slowHeaders = open();
        slowHeaders.getOutputStream().write("GET /health HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
        Thread trickler = new Thread(() -> {
            while (trickle.get()) {
                for (Socket s : slowOnes) {
                    try {
                        s.getOutputStream().write('1');
                    } catch (IOException e) {
                        // closed by the proxy: expected after the body timeout
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        trickler.start();
        try {
            Thread.sleep(500);
            long held = stat("connections");
            int failed = 0;
            long worstMs = 0;
            for (int i = 0; i < 40; i++) {
                long t0 = System.nanoTime();
                try {
                    HttpResponse<String> r = health(Duration.ofSeconds(5));
                    if (r.statusCode() != 200) {
                        failed++;
                    }
                } catch (IOException e) {
                    failed++;
                }
                worstMs = Math.max(worstMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
            }
            System.out.printf("proxy under %d slow-body clients + 1 slow-header client: %d connections held, "
                    + "%d of 40 normal requests failed, slowest %d ms%n", slow, held, failed, worstMs);
            assertThat(held).as("the slow clients are connected, not refused").isGreaterThanOrEqualTo(slow);
            assertThat(failed).as("normal requests failed while slow clients trickled").isZero();

            // The body deadline ends each slow request with a JSON 408 and closes it; the header deadline likewise.
            String answer = readAll(slowOnes.get(0));
            assertThat(answer).startsWith("HTTP/1.1 408").contains("application/json")
                    .contains("{\"error\":\"request body not received within 6 s\"}");
            assertThat(readAll(slowHeaders)).startsWith("HTTP/1.1 408").contains("request headers not received within 4 s");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (stat("connections") > 1 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            long after = stat("connections");
            System.out.printf("after the body timeout: %d connections held, %d requests timed out%n", after,
                    stat("timedOut"));
            assertThat(after).isLessThanOrEqualTo(1);
            assertThat(stat("timedOut")).isGreaterThanOrEqualTo(slow + 1);
        } finally {
            trickle.set(false);
            trickler.join(5000);
        }
    }

    @Test
    void aConnectionFloodIsCappedWithAJson503AndIdleConnectionsAreClosed() throws Exception {
        startProxy("--max-connections", "20", "--idle-timeout-ms", "3000");
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            idle.add(open());
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stat("connections") < 20 && System.nanoTime() < until) {
            Thread.sleep(20); // all 20 accepted (the admin port is not counted)
        }
        Socket extra = open();
        assertThat(readAll(extra)).startsWith("HTTP/1.1 503").contains("application/json")
                .contains("{\"error\":\"too many connections (limit 20)\"}");
        // Idle connections do not hold their slot for ever: after the idle timeout they are closed.
        assertThat(readAll(idle.get(0))).isEmpty();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (stat("connections") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(health(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        System.out.printf("connection flood: cap 20, refused %d, idle closed after 3 s%n", stat("rejected"));
    }

    @Test
    void aHugeBodyIsA413WithoutExhaustingTheProxysMemory() throws Exception {
        startProxy(); // default limit 16 MiB, -Xmx128m as in production
        long size = 300L << 20;

        // With Expect: 100-continue the client learns before sending anything. (A raw socket: java.net.http in
        // JDK 17 waits for ever when the answer to Expect is not 100, JDK-8286171.)
        Socket ask = open();
        ask.getOutputStream().write(("POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + size + "\r\nExpect: 100-continue\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        String expect = readAll(ask);
        assertThat(expect).startsWith("HTTP/1.1 413").contains("application/json")
                .endsWith("{\"error\":\"request body larger than 16777216 bytes\"}");

        // A client that just streams 300 MB (chunked, no length) is cut off at the limit.
        AtomicLong sent = new AtomicLong();
        Socket s = open();
        Thread writer = new Thread(() -> {
            byte[] chunk = ("100000\r\n" + "0".repeat(0x100000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                OutputStream os = s.getOutputStream();
                os.write("POST /predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        .getBytes(StandardCharsets.US_ASCII));
                while (sent.get() < size) {
                    os.write(chunk);
                    sent.addAndGet(0x100000);
                }
            } catch (IOException e) {
                // the proxy closed the connection after its 413
            }
        });
        writer.start();
        InputStream in = s.getInputStream();
        String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
        writer.join(30_000);
        assertThat(status).isEqualTo("HTTP/1.1 413");
        long peakRssMb = peakRssMb(proxy.pid());

        assertThat(proxy.isAlive()).as("no OutOfMemoryError").isTrue();
        assertThat(health(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);
        assertThat(stat("tooLarge")).isEqualTo(2);
        System.out.printf("300 MB bodies: 413 with Expect, 413 at the limit of a %d MB chunked stream (discarded, not"
                + " buffered); proxy alive at -Xmx128m, peak RSS %d MB%n", sent.get() >> 20, peakRssMb);
        if (peakRssMb > 0) {
            assertThat(peakRssMb).as("peak resident memory of the proxy, MB").isLessThan(300);
        }
    }

    @Test
    void malformedRequestsGetJsonErrorsNotHtml() throws Exception {
        startProxy();
        Socket s = open();
        s.getOutputStream().write("GARBAGE\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        String answer = readAll(s);
        assertThat(answer).startsWith("HTTP/1.1 400").contains("application/json").contains("{\"error\":\"malformed")
                .doesNotContain("<").doesNotContain("Exception");
        Socket big = open();
        big.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(40_000) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        assertThat(readAll(big)).startsWith("HTTP/1.1 431").contains("application/json");
    }

    /** The process's peak resident set (Linux VmHWM) in MB; -1 where /proc does not say. */
    private static long peakRssMb(long pid) {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
