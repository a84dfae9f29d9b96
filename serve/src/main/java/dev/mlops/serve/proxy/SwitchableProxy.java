package dev.mlops.serve.proxy;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local target's front door: a reverse proxy on the app's public port that forwards every request to one
 * upstream model server, and an admin port (127.0.0.1 only) whose {@code PUT /-/upstream} replaces that upstream in
 * one atomic step. Each request reads the upstream once when it arrives, so requests already in flight finish on the
 * old server while new ones go to the new one.
 */
public final class SwitchableProxy implements AutoCloseable {
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and those java.net.http sets itself. */
    private static final Set<String> SKIP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "host", "content-length", "expect", "proxy-authenticate", "proxy-authorization");

    private final AtomicReference<URI> upstream;
    private final HttpServer front;
    private final HttpServer admin;
    private final ExecutorService pool;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private SwitchableProxy(URI first, HttpServer front, HttpServer admin, ExecutorService pool, Duration timeout) {
        this.upstream = new AtomicReference<>(first);
        this.front = front;
        this.admin = admin;
        this.pool = pool;
        this.timeout = timeout;
        // The client keeps its own threads: sharing the handler pool could leave none to complete a response.
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * Starts the proxy. {@code bind} is the public address (port 0 picks one); the admin port always binds to
     * 127.0.0.1. {@code threads} bounds concurrent requests; {@code timeout} bounds one upstream request.
     */
    public static SwitchableProxy start(InetSocketAddress bind, int adminPort, URI upstream, int threads,
                                        Duration timeout) throws IOException {
        checkUpstream(upstream);
        // JDK 17's HttpServer stalls keep-alive responses ~40 ms without TCP_NODELAY; read once, at first use.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "proxy");
            t.setDaemon(true);
            return t;
        });
        HttpServer front = HttpServer.create(bind, 256);
        HttpServer admin = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), adminPort), 16);
        SwitchableProxy p = new SwitchableProxy(upstream, front, admin, pool, timeout);
        front.createContext("/", p::forward);
        front.setExecutor(pool);
        admin.createContext("/-/upstream", p::upstreamAdmin);
        admin.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "proxy-admin");
            t.setDaemon(true);
            return t;
        }));
        front.start();
        admin.start();
        return p;
    }

    public URI upstream() {
        return upstream.get();
    }

    /** Atomically replaces the upstream; returns the previous one. */
    public URI switchTo(URI next) {
        checkUpstream(next);
        return upstream.getAndSet(next);
    }

    public int port() {
        return front.getAddress().getPort();
    }

    public int adminPort() {
        return admin.getAddress().getPort();
    }

    /** Requests forwarded and requests answered 502 because the upstream failed. */
    public long forwarded() {
        return forwarded.get();
    }

    public long failed() {
        return failed.get();
    }

    private static void checkUpstream(URI u) {
        if (u == null || !"http".equals(u.getScheme()) || u.getHost() == null || u.getPort() < 1) {
            throw new IllegalArgumentException("upstream must be http://host:port, got " + u);
        }
    }

    private void forward(HttpExchange ex) throws IOException {
        URI base = upstream.get();
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            URI target = URI.create(base.toString() + ex.getRequestURI().toString());
            HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout)
                    .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, List<String>> h : ex.getRequestHeaders().entrySet()) {
                if (!SKIP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    for (String v : h.getValue()) {
                        b.header(h.getKey(), v);
                    }
                }
            }
            HttpResponse<byte[]> res;
            try {
                res = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                failed.incrementAndGet();
                reply(ex, 502, "{\"error\":\"upstream " + base + " unreachable: " + e.getClass().getSimpleName() + "\"}");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 503, "{\"error\":\"proxy shutting down\"}");
                return;
            }
            Headers out = ex.getResponseHeaders();
            res.headers().map().forEach((k, vs) -> {
                if (!SKIP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                    out.put(k, vs);
                }
            });
            byte[] resBody = res.body();
            boolean noBody = ex.getRequestMethod().equals("HEAD") || res.statusCode() == 204 || res.statusCode() == 304;
            ex.sendResponseHeaders(res.statusCode(), noBody || resBody.length == 0 ? -1 : resBody.length);
            if (!noBody && resBody.length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(resBody);
                }
            }
            forwarded.incrementAndGet();
        }
    }

    private void upstreamAdmin(HttpExchange ex) throws IOException {
        try (ex) {
            switch (ex.getRequestMethod()) {
                case "GET" -> reply(ex, 200, upstream.get().toString());
                case "PUT" -> {
                    String text;
                    try (InputStream in = ex.getRequestBody()) {
                        text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
                    }
                    try {
                        URI old = switchTo(URI.create(text));
                        reply(ex, 200, "upstream " + old + " -> " + text);
                    } catch (IllegalArgumentException e) {
                        reply(ex, 400, e.getMessage());
                    }
                }
                default -> reply(ex, 405, "GET or PUT");
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", text.startsWith("{") ? "application/json" : "text/plain");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    /** Stops accepting, lets in-flight requests finish for up to {@code grace}. */
    public void stop(Duration grace) {
        admin.stop(0);
        front.stop((int) Math.max(0, grace.toSeconds()));
        pool.shutdown();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(1));
    }
}
