package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;
import dev.mlops.serve.Metrics.Endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The HTTP model server: {@code /predict}, MLflow's {@code /invocations}, the Open Inference Protocol (V2),
 * health, readiness and Prometheus metrics. Every response, errors included, carries {@value #HEADER_MODEL_VERSION}
 * and {@value #HEADER_GIT_SHA}, so a smoke test or a rollback can prove which model answered.
 *
 * <p>Lifecycle: {@link #open()} binds and serves with readiness 503; {@link #warmUp()} runs synthetic requests through
 * the real parse/predict/write path and then reports ready; {@link #start()} does both. {@link #stop(Duration)} turns
 * readiness to 503, keeps serving for the grace period so load balancers stop routing here, waits for in-flight
 * requests, then closes, all within the drain timeout. Responses sent while draining carry {@code Connection: close}.
 *
 * <p>Why the JDK's built-in {@code com.sun.net.httpserver}: measured with wrk on this 2-core machine (see
 * bench/serve/README.md), {@code GET /health} with {@code sun.net.httpserver.nodelay=true} reaches the same order of
 * throughput as a minimal Netty server on the same machine, and single-row {@code /predict} is bound by JSON and
 * the model, not the HTTP stack; it adds no dependency to the image and no native transport. Without nodelay every
 * keep-alive response stalls about 40 ms (JDK-6968351), so {@link #open()} sets the property when it is absent.
 */
public final class ModelServer {
    public static final String HEADER_MODEL_NAME = "X-Model-Name";
    public static final String HEADER_MODEL_VERSION = "X-Model-Version";
    public static final String HEADER_GIT_SHA = "X-Model-Git-Sha";
    public static final String SERVER_VERSION = "0.1.0";

    private static final String JSON = "application/json";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final int KEEP_BUFFER = 64 * 1024;

    private final ServedModel model;
    private final ServeConfig config;
    private final Log log;
    private final Metrics metrics;
    private final Predictor predictor;
    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[16 * 1024]);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final byte[] healthBody;
    private final byte[] readyBody;
    private final byte[] liveV2Body;
    private final byte[] readyV2Body;
    private final byte[] notReadyV2Body;

    private volatile boolean ready;
    private volatile boolean draining;
    private volatile String notReadyReason = "not started";
    private HttpServer server;
    private ExecutorService executor;
    private boolean stopCalled;

    public ModelServer(ServedModel model, ServeConfig config, Log log) {
        this.model = model;
        this.config = config;
        this.log = log;
        this.metrics = new Metrics(model);
        this.predictor = new Predictor(model, config.maxBatch(), metrics);
        String identity = ",\"model_name\":" + quote(model.name()) + ",\"model_version\":" + quote(model.version()) + "}";
        this.healthBody = bytes("{\"status\":\"ok\"" + identity);
        this.readyBody = bytes("{\"ready\":true" + identity);
        this.liveV2Body = bytes("{\"live\":true}");
        this.readyV2Body = bytes("{\"ready\":true}");
        this.notReadyV2Body = bytes("{\"ready\":false}");
    }

    /** Binds, warms up, and reports ready. Returns this for chaining. */
    public ModelServer start() {
        open();
        warmUp();
        return this;
    }

    /** Binds the port and starts answering; readiness stays 503 until {@link #warmUp()}. */
    public synchronized void open() {
        if (server != null) {
            throw new IllegalStateException("already open");
        }
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // Read once when the JDK server's config class loads; without it keep-alive responses stall ~40 ms.
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        try {
            server = HttpServer.create(new InetSocketAddress(config.host(), config.port()), 1024);
        } catch (IOException e) {
            throw new InfraException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        AtomicInteger n = new AtomicInteger();
        executor = Executors.newFixedThreadPool(config.threads(), r -> {
            Thread t = new Thread(r, "serve-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        notReadyReason = "warming up";
        log.info("serving " + model + " on http://" + config.host() + ":" + port() + " (" + config.threads()
                + " threads)");
    }

    /** Runs synthetic requests through the request path (not counted in metrics), then reports ready. */
    public void warmUp() {
        Predictor warm = new Predictor(model, config.maxBatch(), new Metrics(model));
        byte[] single = bytes(syntheticRow(false));
        byte[] batch = bytes(syntheticRow(true));
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < config.warmupRequests(); i++) {
                warm.predict(single, single.length);
                if (i % 16 == 0) {
                    warm.predict(batch, batch.length);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new InfraException("warm-up prediction failed: " + e.getMessage(), e);
        }
        if (!draining) {
            ready = true;
            log.info("ready after " + config.warmupRequests() + " warm-up requests in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        }
    }

    /** A valid request for this model: zeros for numeric inputs, the first known level for categorical ones. */
    private String syntheticRow(boolean batchOf8) {
        StringBuilder row = new StringBuilder("{");
        var inputs = model.schema().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            var in = inputs.get(i);
            row.append(i == 0 ? "" : ",").append(quote(in.name())).append(':')
                    .append(in.levels() == null ? "0.0" : quote(in.levels().get(0)));
        }
        row.append('}');
        if (!batchOf8) {
            return "{\"inputs\":" + row + "}";
        }
        String[] rows = new String[Math.min(8, config.maxBatch())];
        Arrays.fill(rows, row.toString());
        return "{\"instances\":[" + String.join(",", rows) + "]}";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public boolean isReady() {
        return ready;
    }

    public ServedModel model() {
        return model;
    }

    /** Stops with the configured drain timeout. */
    public void stop() {
        stop(config.drainTimeout());
    }

    /**
     * Graceful stop: readiness turns 503 at once; requests are still served for the grace period (bounded by
     * {@code drainTimeout}), then until none is in flight or the timeout passes; then the port closes. Idempotent;
     * a second caller waits for the first to finish.
     */
    public void stop(Duration drainTimeout) {
        synchronized (this) {
            if (stopCalled || server == null) {
                stopCalled = true;
                stopped.countDown();
                awaitQuietly();
                return;
            }
            stopCalled = true;
        }
        ready = false;
        draining = true;
        notReadyReason = "draining";
        long start = System.nanoTime();
        long deadline = start + drainTimeout.toNanos();
        log.info("draining: readiness is 503; serving for up to " + drainTimeout.toMillis() + " ms");
        try {
            sleepUntil(Math.min(start + config.drainGrace().toNanos(), deadline));
            while (inFlight.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            int left = inFlight.get();
            server.stop(0);
            executor.shutdown();
            if (!executor.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                executor.shutdownNow();
            }
            log.info("stopped after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms; "
                    + served.get() + " requests served" + (left > 0 ? "; " + left + " still in flight at the deadline" : ""));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            server.stop(0);
            executor.shutdownNow();
        } finally {
            stopped.countDown();
        }
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    // ---------------------------------------------------------------- request handling

    private record Response(int status, byte[] body, String contentType, String allow) {
        Response(int status, byte[] body) {
            this(status, body, JSON, null);
        }
    }

    private void handle(HttpExchange ex) {
        long t0 = System.nanoTime();
        inFlight.incrementAndGet();
        Endpoint endpoint = Endpoint.OTHER;
        int status = 500;
        try {
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            Response r;
            try {
                Route route = route(path);
                endpoint = route.endpoint;
                r = dispatch(route, method, ex);
            } catch (ApiException e) {
                r = error(endpoint, e.status(), e.getMessage());
            } catch (JsonProcessingException e) {
                r = error(endpoint, 400, "malformed JSON: " + describe(e));
            } catch (IOException e) {
                r = error(endpoint, 400, "could not read the request body: " + e.getMessage());
            } catch (RuntimeException e) {
                log.warn("internal error on " + method + " " + path + ": " + e);
                r = error(endpoint, 500, "internal error while handling the request; the server log has details");
            }
            status = r.status;
            send(ex, r);
        } catch (IOException | RuntimeException e) {
            // The client went away while we answered; there is no one left to tell.
        } finally {
            metrics.request(endpoint, status, System.nanoTime() - t0);
            served.incrementAndGet();
            inFlight.decrementAndGet();
            ex.close();
        }
    }

    private record Route(Endpoint endpoint, String modelName, String modelVersion) {
    }

    private static final Route OTHER = new Route(Endpoint.OTHER, null, null);

    private static Route route(String path) {
        switch (path) {
            case "/predict": return new Route(Endpoint.PREDICT, null, null);
            case "/health": return new Route(Endpoint.HEALTH, null, null);
            case "/ready": return new Route(Endpoint.READY, null, null);
            case "/invocations": return new Route(Endpoint.INVOCATIONS, null, null);
            case "/ping": return new Route(Endpoint.PING, null, null);
            case "/version": return new Route(Endpoint.VERSION, null, null);
            case "/metrics": return new Route(Endpoint.METRICS, null, null);
            case "/v2": return new Route(Endpoint.V2_SERVER, null, null);
            case "/v2/health/live": return new Route(Endpoint.V2_LIVE, null, null);
            case "/v2/health/ready": return new Route(Endpoint.V2_READY, null, null);
            default: break;
        }
        if (!path.startsWith("/v2/models/")) {
            return OTHER;
        }
        String[] s = path.substring("/v2/models/".length()).split("/", -1);
        if (s[0].isEmpty()) {
            return OTHER;
        }
        String version = null;
        int next = 1;
        if (s.length >= 3 && s[1].equals("versions") && !s[2].isEmpty()) {
            version = s[2];
            next = 3;
        }
        if (s.length == next) {
            return new Route(Endpoint.V2_MODEL, s[0], version);
        }
        if (s.length == next + 1 && s[next].equals("ready")) {
            return new Route(Endpoint.V2_MODEL_READY, s[0], version);
        }
        if (s.length == next + 1 && s[next].equals("infer")) {
            return new Route(Endpoint.V2_INFER, s[0], version);
        }
        return OTHER;
    }

    private Response dispatch(Route route, String method, HttpExchange ex) throws IOException {
        Endpoint e = route.endpoint;
        boolean post = e == Endpoint.PREDICT || e == Endpoint.INVOCATIONS || e == Endpoint.V2_INFER;
        if (e == Endpoint.OTHER) {
            throw new ApiException(404, "no endpoint " + method + " " + ex.getRequestURI().getPath()
                    + "; try POST /predict, POST /invocations, POST /v2/models/" + model.name() + "/infer, GET /health");
        }
        String expected = post ? "POST" : "GET";
        if (!method.equals(expected) && !(method.equals("HEAD") && !post)) {
            return new Response(405, errorBody(e, 405, method + " is not allowed on " + e.label + "; use " + expected),
                    JSON, expected);
        }
        if (route.modelName != null) {
            checkModel(route);
        }
        switch (e) {
            case HEALTH: return new Response(200, healthBody);
            case READY: return ready ? new Response(200, readyBody) : new Response(503, notReadyBody());
            case PING: return new Response(200, bytes("\n"));
            case VERSION: return new Response(200, versionBody());
            case METRICS: return new Response(200, bytes(metrics.render(ready)), PROMETHEUS, null);
            case V2_SERVER: return new Response(200, bytes("{\"name\":\"mlops-serve\",\"version\":"
                    + quote(SERVER_VERSION) + ",\"extensions\":[]}"));
            case V2_LIVE: return new Response(200, liveV2Body);
            case V2_READY: return new Response(ready ? 200 : 503, ready ? readyV2Body : notReadyV2Body);
            case V2_MODEL: return new Response(200, predictor.v2Metadata());
            case V2_MODEL_READY: return new Response(ready ? 200 : 503, bytes("{\"name\":" + quote(model.name())
                    + ",\"ready\":" + ready + "}"));
            default: break;
        }
        int len = readBody(ex);
        byte[] body = buffers.get();
        byte[] out = switch (e) {
            case PREDICT -> predictor.predict(body, len);
            case INVOCATIONS -> predictor.invocations(body, len);
            default -> predictor.v2Infer(body, len);
        };
        return new Response(200, out);
    }

    private void checkModel(Route route) {
        if (!route.modelName.equals(model.name())) {
            throw new ApiException(404, "model '" + route.modelName + "' is not served here; this server serves '"
                    + model.name() + "' version '" + model.version() + "'");
        }
        if (route.modelVersion != null && !route.modelVersion.equals(model.version())) {
            throw new ApiException(404, "model '" + model.name() + "' version '" + route.modelVersion
                    + "' is not served here; this server serves version '" + model.version() + "'");
        }
    }

    /**
     * Reads the body into this thread's buffer and returns its length. Refuses a wrong content type (415) and a
     * body over the limit (413) from Content-Length before reading, or as soon as reading passes the limit.
     */
    private int readBody(HttpExchange ex) throws IOException {
        Headers h = ex.getRequestHeaders();
        checkContentType(h.getFirst("Content-Type"));
        int max = config.maxBodyBytes();
        String cl = h.getFirst("Content-Length");
        if (cl != null) {
            long declared;
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException nfe) {
                throw ApiException.badRequest("Content-Length is not a number: " + cl);
            }
            if (declared > max) {
                throw tooLarge(max);
            }
        }
        byte[] buf = buffers.get();
        int len = 0;
        InputStream in = ex.getRequestBody();
        for (;;) {
            if (len == buf.length) {
                if (buf.length > max) {
                    throw tooLarge(max);
                }
                buf = Arrays.copyOf(buf, (int) Math.min((long) max + 1, 2L * buf.length));
            }
            int n = in.read(buf, len, buf.length - len);
            if (n < 0) {
                break;
            }
            len += n;
        }
        if (len > max) {
            throw tooLarge(max);
        }
        buffers.set(buf);
        if (buf.length > KEEP_BUFFER) {
            // Parse from the big buffer this once; send() gives the thread a small one back.
            ex.setAttribute("mlops.release-buffer", Boolean.TRUE);
        }
        return len;
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "request body is larger than " + max + " bytes (--max-body-bytes)");
    }

    private static void checkContentType(String type) {
        if (type == null) {
            throw new ApiException(415, "missing Content-Type; send Content-Type: application/json");
        }
        String[] parts = type.split(";");
        if (!parts[0].trim().equalsIgnoreCase(JSON)) {
            throw new ApiException(415, "Content-Type " + parts[0].trim() + " is not supported; send application/json");
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring("charset=".length()).replace("\"", "");
                if (!cs.equals("utf-8") && !cs.equals("utf8")) {
                    throw new ApiException(415, "charset " + cs + " is not supported; send UTF-8 JSON");
                }
            }
        }
    }

    private void send(HttpExchange ex, Response r) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", r.contentType);
        h.set(HEADER_MODEL_NAME, model.name());
        h.set(HEADER_MODEL_VERSION, model.version());
        h.set(HEADER_GIT_SHA, model.gitSha());
        if (r.allow != null) {
            h.set("Allow", r.allow);
        }
        if (draining || r.status == 413) {
            // Draining: make keep-alive clients reconnect elsewhere. 413: the unread rest of the body is discarded.
            h.set("Connection", "close");
        }
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(r.status, head || r.body.length == 0 ? -1 : r.body.length);
        if (!head && r.body.length > 0) {
            try (OutputStream os = ex.getResponseBody()) {
                os.write(r.body);
            }
        }
        if (ex.getAttribute("mlops.release-buffer") != null) {
            buffers.set(new byte[16 * 1024]);
        }
    }

    private Response error(Endpoint endpoint, int status, String message) {
        return new Response(status, errorBody(endpoint, status, message));
    }

    /** {"error": ...} everywhere (V2 style); /invocations adds MLflow's error_code and message. */
    private static byte[] errorBody(Endpoint endpoint, int status, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = Predictor.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeNumberField("status", status);
            if (endpoint == Endpoint.INVOCATIONS) {
                g.writeStringField("error_code", status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
                g.writeStringField("message", message);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private byte[] notReadyBody() {
        return bytes("{\"ready\":false,\"reason\":" + quote(notReadyReason) + ",\"model_name\":" + quote(model.name())
                + ",\"model_version\":" + quote(model.version()) + "}");
    }

    private byte[] versionBody() {
        return bytes("{\"server\":" + quote("mlops-serve " + SERVER_VERSION) + ",\"model_name\":" + quote(model.name())
                + ",\"model_version\":" + quote(model.version()) + ",\"git_sha\":" + quote(model.gitSha())
                + ",\"model_sha256\":" + quote(model.sha256()) + "}");
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String msg = e.getOriginalMessage();
        int nl = msg.indexOf('\n');
        if (nl > 0) {
            msg = msg.substring(0, nl);
        }
        return loc == null ? msg : msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    static String quote(String s) {
        try {
            return Predictor.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
