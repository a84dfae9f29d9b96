package dev.mlops.engine.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process stand-in for an MLflow 2.17 tracking server started with {@code --serve-artifacts}, strict in the
 * ways shared/reference/mlflow-rest.md lists: Content-Type enforced on POST/PATCH/PUT under {@code /api/2.0/mlflow/}
 * with MLflow's exact 400 body, snake_case fields, string ids, 404 {@code RESOURCE_DOES_NOT_EXIST}, 400
 * {@code RESOURCE_ALREADY_EXISTS}, 400 {@code INVALID_PARAMETER_VALUE} for missing fields, malformed JSON, changed
 * params, log-batch limits and metric, param or tag keys MLflow refuses ({@link MlflowNames}, checked for a whole
 * batch before any of it is stored), an HTML 404 for unknown routes, 500 {@code INTERNAL_ERROR} for a missing artifact.
 *
 * <p>Every request is recorded ({@link #requests()}) so tests can assert exactly what a client sent. Tests can make
 * the next requests fail before they are processed ({@link #failNext(int, int)}), make chosen endpoints process a
 * request and then lose its reply ({@link #failAfterWrite(String, Fault, int)}: a proxy's 502, a dropped connection,
 * or no reply at all), and require credentials ({@link #requireAuthorization(String)}). {@code runs/search} and
 * {@code model-versions/search} understand the filter forms MLflow documents for {@code =} on tags and attributes
 * (keys plain, in backticks or in double quotes; values in single or double quotes, clauses joined by {@code AND})
 * and answer 400 {@code INVALID_PARAMETER_VALUE} to anything else, so a client cannot rely on a filter the real
 * parser would reject. Test code only; other modules use it through the engine's test-jar.
 */
public final class MlflowTestServer implements AutoCloseable {

    /** One request as the server saw it; header names are lower case. */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("request body is not JSON: " + bodyText(), e);
            }
        }

        /** Decoded query parameters (first value of each). */
        public Map<String, String> params() {
            return parseQuery(query);
        }

        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final String API = "/api/2.0/mlflow/";
    private static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    public static final String VERSION = "2.17.2";

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failCount = new AtomicInteger();
    private volatile int failStatus;
    private volatile String requiredAuthorization;
    private volatile boolean forbidden;
    private final java.util.Set<String> missingEndpoints = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, FaultPlan> afterWrite = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

    /** How the reply to a request that was processed (the write landed) gets lost on its way back. */
    public enum Fault {
        /** A proxy in front answers 502 Bad Gateway (HTML), as when it timed out waiting for the backend. */
        REPLY_502,
        /** The connection is closed without any reply. */
        DROP_CONNECTION,
        /** No reply ever comes; the connection stays open until the server closes. */
        NO_REPLY
    }

    private record FaultPlan(Fault fault, AtomicInteger remaining) {
    }

    private record Refusal(int status, AtomicInteger remaining) {
    }

    private final Map<String, Refusal> beforeWrite = new java.util.concurrent.ConcurrentHashMap<>();

    // state, guarded by "this"
    private final Map<String, ObjectNode> experiments = new LinkedHashMap<>();
    private final Map<String, RunState> runs = new LinkedHashMap<>();
    private final Map<String, byte[]> artifacts = new TreeMap<>();
    private final Map<String, ModelState> models = new LinkedHashMap<>();
    private int nextExperimentId = 1;
    private long clock = 1_700_000_000_000L;

    private static final class RunState {
        final ObjectNode info;
        final Map<String, String> params = new LinkedHashMap<>();
        final Map<String, ObjectNode> metrics = new LinkedHashMap<>();
        final Map<String, String> tags = new LinkedHashMap<>();

        RunState(ObjectNode info) {
            this.info = info;
        }
    }

    private static final class ModelState {
        final String name;
        final long created;
        long updated;
        final TreeMap<Integer, ObjectNode> versions = new TreeMap<>();
        final Map<String, String> aliases = new TreeMap<>();

        ModelState(String name, long created) {
            this.name = name;
            this.created = created;
            this.updated = created;
        }
    }

    private MlflowTestServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor = Executors.newCachedThreadPool(); // NO_REPLY faults park a thread each
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        ObjectNode def = JSON.createObjectNode();
        def.put("experiment_id", "0").put("name", "Default").put("artifact_location", "mlflow-artifacts:/0")
                .put("lifecycle_stage", "active").put("last_update_time", clock).put("creation_time", clock);
        experiments.put("0", def);
        server.start();
    }

    /** Starts a server on a free port of 127.0.0.1. */
    public static MlflowTestServer start() {
        try {
            return new MlflowTestServer();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start MLflow test server", e);
        }
    }

    /** The tracking URI, e.g. {@code http://127.0.0.1:41234}. */
    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Every request so far, in arrival order. */
    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    /** Requests whose path equals {@code path} (e.g. {@code /api/2.0/mlflow/runs/log-batch}). */
    public List<Request> requests(String method, String path) {
        return requests().stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    public void clearRequests() {
        requests.clear();
    }

    /** The next {@code count} requests (whatever they are) are answered with {@code status} and an MLflow error body. */
    public void failNext(int count, int status) {
        failStatus = status;
        failCount.set(count);
    }

    /**
     * The next {@code times} requests to {@code endpoint} ({@code "POST runs/create"}, {@code "POST model-versions/create"},
     * {@code "PUT artifacts"} for artifact uploads...) are processed as usual, so the write lands, and then their
     * reply is lost as {@code fault} says.
     */
    public void failAfterWrite(String endpoint, Fault fault, int times) {
        afterWrite.put(endpoint, new FaultPlan(fault, new AtomicInteger(times)));
    }

    /** The next {@code times} requests to {@code endpoint} are answered {@code status} without being processed. */
    public void failBeforeWrite(String endpoint, int status, int times) {
        beforeWrite.put(endpoint, new Refusal(status, new AtomicInteger(times)));
    }

    /** Require this exact Authorization header value (e.g. {@code "Bearer t0k"}); others get 401. Null turns it off. */
    public void requireAuthorization(String headerValue) {
        requiredAuthorization = headerValue;
    }

    /** Act as an older MLflow that lacks {@code endpoint} (e.g. {@code "GET registered-models/alias"}, added in 2.3): HTML 404. */
    public void withoutEndpoint(String endpoint) {
        missingEndpoints.add(endpoint);
    }

    /** Answer every request 403 as MLflow's auth app does for a user who lacks the permission. */
    public void forbidAll() {
        forbidden = true;
    }

    /** The bytes stored at {@code <experiment_id>/<run_id>/artifacts/<path>}, if any. */
    public synchronized Optional<byte[]> artifact(String experimentId, String runId, String path) {
        return Optional.ofNullable(artifacts.get(experimentId + "/" + runId + "/artifacts/" + path));
    }

    /** Ids of every run, in creation order. */
    public synchronized List<String> runIds() {
        return List.copyOf(runs.keySet());
    }

    /** Tags of a run as the server holds them. */
    public synchronized Map<String, String> runTags(String runId) {
        return Map.copyOf(run(runId).tags);
    }

    /** How many versions the registered model has (0 when it does not exist). */
    public synchronized int versionCount(String model) {
        ModelState m = models.get(model);
        return m == null ? 0 : m.versions.size();
    }

    /** Creates a registered model directly (no request recorded), for tests that need a registry to exist. */
    public synchronized void seedRegisteredModel(String name) {
        models.putIfAbsent(name, new ModelState(name, ++clock));
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- dispatch

    private record Reply(int status, String contentType, byte[] body) {
    }

    private static final Reply DROP = new Reply(-1, "", new byte[0]);

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            Map<String, List<String>> headers = new TreeMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
            String path = ex.getRequestURI().getRawPath();
            String query = ex.getRequestURI().getRawQuery();
            Request req = new Request(ex.getRequestMethod(), URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8),
                    query, Map.copyOf(headers), body);
            requests.add(req);
            Reply reply;
            try {
                reply = route(req, path);
            } catch (ApiError e) {
                reply = error(e.status, e.code, e.getMessage());
            } catch (RuntimeException e) {
                reply = error(500, "INTERNAL_ERROR", "test server failure: " + e);
            }
            reply = afterWrite(req, reply);
            if (reply == DROP) {
                return; // closing an exchange that sent no headers closes the connection: the client gets no reply
            }
            ex.getResponseHeaders().set("Content-Type", reply.contentType);
            ex.sendResponseHeaders(reply.status, reply.body.length == 0 ? -1 : reply.body.length);
            if (reply.body.length > 0) {
                ex.getResponseBody().write(reply.body);
            }
        }
    }

    private static final class ApiError extends RuntimeException {
        final int status;
        final String code;

        ApiError(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }
    }

    /** Loses the reply of a processed request when a fault is planned for its endpoint. */
    private Reply afterWrite(Request req, Reply reply) {
        FaultPlan plan = afterWrite.get(endpoint(req));
        if (plan == null || reply.status() >= 300 || plan.remaining().getAndUpdate(n -> Math.max(0, n - 1)) <= 0) {
            return reply;
        }
        switch (plan.fault()) {
            case REPLY_502 -> {
                String html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n"
                        + "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";
                return new Reply(502, "text/html", html.getBytes(StandardCharsets.UTF_8));
            }
            case DROP_CONNECTION -> {
                return DROP;
            }
            default -> {
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return DROP;
            }
        }
    }

    private static Reply injected(int status) {
        return error(status, status >= 500 ? "TEMPORARILY_UNAVAILABLE" : "INVALID_PARAMETER_VALUE", "injected failure " + status);
    }

    /** {@code "POST runs/create"}, {@code "PUT artifacts"}: how fault plans name a request. */
    private static String endpoint(Request req) {
        return req.method() + " " + (req.path().startsWith(ARTIFACTS) ? "artifacts"
                : req.path().startsWith(API) ? req.path().substring(API.length()) : req.path());
    }

    private Reply route(Request req, String rawPath) {
        if (failCount.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return injected(failStatus);
        }
        Refusal refusal = beforeWrite.get(endpoint(req));
        if (refusal != null && refusal.remaining().getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return injected(refusal.status());
        }
        String required = requiredAuthorization;
        if (required != null && !required.equals(req.header("Authorization"))) {
            return new Reply(401, "text/plain; charset=utf-8",
                    "You are not authenticated. Please see https://www.mlflow.org/docs/latest/auth/index.html".getBytes(StandardCharsets.UTF_8));
        }
        if (forbidden) {
            return new Reply(403, "text/plain; charset=utf-8", "Permission denied".getBytes(StandardCharsets.UTF_8));
        }
        String m = req.method();
        String p = req.path();
        if (m.equals("GET") && p.equals("/health")) {
            return new Reply(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.UTF_8));
        }
        if (m.equals("GET") && p.equals("/version")) {
            return new Reply(200, "text/plain; charset=utf-8", VERSION.getBytes(StandardCharsets.UTF_8));
        }
        if (p.equals(ARTIFACTS) || p.startsWith(ARTIFACTS + "/")) {
            return artifactRoute(req);
        }
        if (!p.startsWith(API)) {
            return notFound();
        }
        String endpoint = m + " " + p.substring(API.length());
        if (missingEndpoints.contains(endpoint)) {
            return notFound();
        }
        if (m.equals("POST") || m.equals("PATCH") || m.equals("PUT")) {
            String ct = req.header("Content-Type");
            if (ct == null || !ct.split(";")[0].trim().equalsIgnoreCase("application/json")) {
                return new Reply(400, "application/json",
                        "{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Bad Request. Content-Type must be one of ['application/json'].\"}"
                                .getBytes(StandardCharsets.UTF_8));
            }
        }
        JsonNode in = input(req);
        synchronized (this) {
            return switch (endpoint) {
                case "POST experiments/create" -> createExperiment(in);
                case "GET experiments/get-by-name" -> getExperimentByName(in);
                case "GET experiments/get" -> ok(obj().set("experiment", experiment(required(in, "experiment_id"))));
                case "POST runs/create" -> createRun(in);
                case "POST runs/update" -> updateRun(in);
                case "POST runs/log-batch" -> logBatch(in);
                case "POST runs/log-metric" -> logMetric(in);
                case "POST runs/log-parameter" -> logParam(in);
                case "POST runs/set-tag" -> setTag(in);
                case "GET runs/get" -> ok(obj().set("run", runJson(run(runId(in)))));
                case "POST runs/search" -> searchRuns(in);
                case "POST registered-models/create" -> createModel(in);
                case "GET registered-models/get" -> ok(obj().set("registered_model", modelJson(model(required(in, "name")))));
                case "POST model-versions/create" -> createVersion(in);
                case "GET model-versions/search" -> searchVersions(in);
                case "GET model-versions/get" -> ok(obj().set("model_version", versionJson(model(required(in, "name")), required(in, "version"))));
                case "POST registered-models/alias" -> setAlias(in);
                case "GET registered-models/alias" -> getAlias(in);
                case "DELETE registered-models/alias" -> deleteAlias(in);
                default -> notFound();
            };
        }
    }

    /** GET and DELETE read the query string; other methods read the JSON body (DELETE falls back to it). */
    private static JsonNode input(Request req) {
        if (req.method().equals("GET") || req.method().equals("DELETE") && req.body().length == 0) {
            ObjectNode o = JSON.createObjectNode();
            parseQuery(req.query()).forEach(o::put);
            return o;
        }
        try {
            JsonNode n = JSON.readTree(req.body());
            if (n == null || !n.isObject()) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid JSON in request body: expected an object");
            }
            return n;
        } catch (IOException e) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Malformed JSON in request body: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(k, v);
        }
        return out;
    }

    // ---------------------------------------------------------------- experiments and runs

    private Reply createExperiment(JsonNode in) {
        String name = required(in, "name");
        for (ObjectNode e : experiments.values()) {
            if (e.path("name").asText().equals(name)) {
                throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "Experiment '" + name + "' already exists.");
            }
        }
        String id = String.valueOf(nextExperimentId++);
        ObjectNode e = obj().put("experiment_id", id).put("name", name).put("artifact_location", "mlflow-artifacts:/" + id)
                .put("lifecycle_stage", "active").put("last_update_time", ++clock).put("creation_time", clock);
        experiments.put(id, e);
        return ok(obj().put("experiment_id", id));
    }

    private Reply getExperimentByName(JsonNode in) {
        String name = required(in, "experiment_name");
        for (ObjectNode e : experiments.values()) {
            if (e.path("name").asText().equals(name)) {
                return ok(obj().set("experiment", e.deepCopy()));
            }
        }
        throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Could not find experiment with name '" + name + "'");
    }

    private ObjectNode experiment(String id) {
        ObjectNode e = experiments.get(id);
        if (e == null) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + id + " exists");
        }
        return e.deepCopy();
    }

    private Reply createRun(JsonNode in) {
        String expId = in.hasNonNull("experiment_id") ? in.get("experiment_id").asText() : "0";
        if (!experiments.containsKey(expId)) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "No Experiment with id=" + expId + " exists");
        }
        String runId = UUID.randomUUID().toString().replace("-", "");
        String runName = in.hasNonNull("run_name") ? in.get("run_name").asText() : "test-run-" + runs.size();
        ObjectNode info = obj().put("run_uuid", runId).put("run_id", runId).put("run_name", runName)
                .put("experiment_id", expId).put("user_id", in.path("user_id").asText(""))
                .put("status", "RUNNING").put("start_time", in.path("start_time").asLong(++clock))
                .put("artifact_uri", "mlflow-artifacts:/" + expId + "/" + runId + "/artifacts")
                .put("lifecycle_stage", "active");
        RunState run = new RunState(info);
        for (JsonNode t : in.path("tags")) {
            run.tags.put(required(t, "key"), t.path("value").asText(""));
        }
        run.tags.put("mlflow.runName", runName);
        runs.put(runId, run);
        return ok(obj().set("run", runJson(run)));
    }

    private Reply updateRun(JsonNode in) {
        RunState run = run(runId(in));
        if (in.hasNonNull("status")) {
            String s = in.get("status").asText();
            if (!List.of("RUNNING", "SCHEDULED", "FINISHED", "FAILED", "KILLED").contains(s)) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid value " + s + " for parameter 'status' supplied.");
            }
            run.info.put("status", s);
        }
        if (in.hasNonNull("end_time")) {
            run.info.put("end_time", in.get("end_time").asLong());
        }
        return ok(obj().set("run_info", run.info.deepCopy()));
    }

    private Reply logBatch(JsonNode in) {
        RunState run = run(required(in, "run_id"));
        // _validate_batch_log_data: every key is checked before anything of the batch is written
        checkKeys(in.path("metrics"), "metrics", "name");
        checkKeys(in.path("params"), "params", "key");
        checkKeys(in.path("tags"), "tags", "key");
        int metrics = in.path("metrics").size();
        int params = in.path("params").size();
        int tags = in.path("tags").size();
        if (metrics > 1000 || params > 100 || tags > 100 || metrics + params + tags > 1000) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "A batch logging request can contain at most 1000 metrics, 100 params,"
                    + " 100 tags and 1000 entities in total. Got " + metrics + " metrics, " + params + " params, " + tags + " tags");
        }
        for (JsonNode p : in.path("params")) {
            putParam(run, required(p, "key"), p.path("value").asText(""));
        }
        for (JsonNode m : in.path("metrics")) {
            putMetric(run, m);
        }
        for (JsonNode t : in.path("tags")) {
            run.tags.put(required(t, "key"), t.path("value").asText(""));
        }
        return ok(obj());
    }

    private Reply logMetric(JsonNode in) {
        RunState run = run(runId(in));
        checkKey(required(in, "key"), "name");
        putMetric(run, in);
        return ok(obj());
    }

    private Reply logParam(JsonNode in) {
        RunState run = run(runId(in));
        putParam(run, checkKey(required(in, "key"), "key"), in.path("value").asText(""));
        return ok(obj());
    }

    private Reply setTag(JsonNode in) {
        RunState run = run(runId(in));
        run.tags.put(checkKey(required(in, "key"), "key"), in.path("value").asText(""));
        return ok(obj());
    }

    private static void checkKeys(JsonNode items, String field, String keyPath) {
        for (int i = 0; i < items.size(); i++) {
            checkKey(required(items.get(i), "key"), field + "[" + i + "]." + keyPath);
        }
    }

    /**
     * MLflow's _validate_metric_name / _validate_param_name / _validate_tag_name (characters, path form, length):
     * 400 INVALID_PARAMETER_VALUE in validation.py's invalid_value wording, naming the field's JSON path.
     */
    private static String checkKey(String key, String path) {
        Optional<String> why = MlflowNames.problem(key);
        if (why.isPresent()) {
            String shown;
            try {
                shown = JSON.writeValueAsString(key);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid value " + shown + " for parameter '" + path
                    + "' supplied: " + why.get());
        }
        return key;
    }

    private static void putParam(RunState run, String key, String value) {
        String old = run.params.get(key);
        if (old != null && !old.equals(value)) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed. Param with key='" + key
                    + "' was already logged with value='" + old + "' for run ID='" + run.info.path("run_id").asText()
                    + "'. Attempted logging new value '" + value + "'.");
        }
        run.params.put(key, value);
    }

    private void putMetric(RunState run, JsonNode m) {
        String key = required(m, "key");
        if (!m.has("value")) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'value'.");
        }
        if (!m.has("timestamp")) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'timestamp'.");
        }
        JsonNode v = m.get("value");
        double value = v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText());
        long step = m.path("step").asLong(0);
        long ts = m.get("timestamp").asLong();
        ObjectNode prev = run.metrics.get(key);
        if (prev == null || step > prev.path("step").asLong() || step == prev.path("step").asLong() && ts >= prev.path("timestamp").asLong()) {
            ObjectNode stored = obj().put("key", key).put("timestamp", ts).put("step", step);
            if (Double.isFinite(value)) {
                stored.put("value", value);
            } else {
                stored.put("value", Double.isNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
            }
            run.metrics.put(key, stored);
        }
    }

    private Reply searchRuns(JsonNode in) {
        ArrayNode out = JSON.createArrayNode();
        List<String> ids = new ArrayList<>();
        in.path("experiment_ids").forEach(n -> ids.add(n.asText()));
        List<Clause> filter = parseFilter(in.path("filter").asText(""), RUN_ATTRIBUTES);
        int max = in.path("max_results").asInt(1000);
        for (RunState r : runs.values()) {
            if (out.size() < max && ids.contains(r.info.path("experiment_id").asText()) && matches(filter, r.info, r.tags)) {
                out.add(runJson(r));
            }
        }
        ObjectNode o = obj();
        if (!out.isEmpty()) {
            o.set("runs", out);
        }
        return ok(o);
    }

    private Reply searchVersions(JsonNode in) {
        List<Clause> filter = parseFilter(in.path("filter").asText(""), VERSION_ATTRIBUTES);
        int max = in.path("max_results").asInt(10_000);
        ArrayNode out = JSON.createArrayNode();
        for (ModelState m : models.values()) {
            for (Integer v : m.versions.descendingKeySet()) {
                ObjectNode mv = versionJson(m, String.valueOf(v));
                Map<String, String> tags = new LinkedHashMap<>();
                mv.path("tags").forEach(t -> tags.put(t.path("key").asText(), t.path("value").asText()));
                ObjectNode attributes = mv.deepCopy().put("source_path", mv.path("source").asText());
                if (out.size() < max && matches(filter, attributes, tags)) {
                    out.add(mv);
                }
            }
        }
        ObjectNode o = obj();
        if (!out.isEmpty()) {
            o.set("model_versions", out);
        }
        return ok(o);
    }

    private static final List<String> RUN_ATTRIBUTES = List.of("run_id", "run_name", "status", "user_id", "artifact_uri");
    private static final List<String> VERSION_ATTRIBUTES = List.of("name", "run_id", "source_path");
    private static final java.util.regex.Pattern CLAUSE = java.util.regex.Pattern.compile(
            "\\s*(?:(tags?|attributes?|attr|run)\\.)?(`[^`]+`|\"[^\"]+\"|[\\w.]+)\\s*(!=|=)\\s*('[^']*'|\"[^\"]*\")\\s*");

    /** One {@code key = 'value'} (or {@code !=}) clause of a search filter. */
    private record Clause(boolean tag, String key, boolean equal, String value) {
    }

    private static List<Clause> parseFilter(String filter, List<String> attributes) {
        List<Clause> out = new ArrayList<>();
        if (filter.isBlank()) {
            return out;
        }
        for (String part : filter.split("(?i)\\s+and\\s+")) {
            java.util.regex.Matcher m = CLAUSE.matcher(part);
            if (!m.matches()) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid filter '" + filter + "': cannot parse '" + part.trim() + "'");
            }
            boolean tag = m.group(1) != null && m.group(1).startsWith("tag");
            String key = m.group(2);
            if (key.startsWith("`") || key.startsWith("\"")) {
                key = key.substring(1, key.length() - 1);
            }
            if (!tag && !attributes.contains(key)) {
                throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Invalid attribute key '" + key + "' specified. Valid keys are '" + attributes + "'");
            }
            String value = m.group(4);
            out.add(new Clause(tag, key, m.group(3).equals("="), value.substring(1, value.length() - 1)));
        }
        return out;
    }

    private static boolean matches(List<Clause> filter, JsonNode attributes, Map<String, String> tags) {
        for (Clause c : filter) {
            String actual = c.tag() ? tags.get(c.key()) : attributes.path(c.key()).asText(null);
            if (actual == null || actual.equals(c.value()) != c.equal()) {
                return false;
            }
        }
        return true;
    }

    private static String runId(JsonNode in) {
        if (in.hasNonNull("run_id")) {
            return in.get("run_id").asText();
        }
        if (in.hasNonNull("run_uuid")) {
            return in.get("run_uuid").asText();
        }
        throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter 'run_id'.");
    }

    private RunState run(String runId) {
        RunState r = runs.get(runId);
        if (r == null) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Run with id=" + runId + " not found");
        }
        return r;
    }

    private static ObjectNode runJson(RunState r) {
        ObjectNode run = obj();
        run.set("info", r.info.deepCopy());
        ObjectNode data = run.putObject("data");
        ArrayNode metrics = data.putArray("metrics");
        r.metrics.values().forEach(metrics::add);
        ArrayNode params = data.putArray("params");
        r.params.forEach((k, v) -> params.addObject().put("key", k).put("value", v));
        ArrayNode tags = data.putArray("tags");
        r.tags.forEach((k, v) -> tags.addObject().put("key", k).put("value", v));
        run.putObject("inputs");
        return run;
    }

    // ---------------------------------------------------------------- artifacts

    private Reply artifactRoute(Request req) {
        String p = req.path();
        if (p.equals(ARTIFACTS)) {
            if (!req.method().equals("GET")) {
                return notFound();
            }
            String prefix = parseQuery(req.query()).getOrDefault("path", "");
            return listArtifacts(prefix);
        }
        String key = p.substring(ARTIFACTS.length() + 1);
        synchronized (this) {
            switch (req.method()) {
                case "PUT" -> {
                    artifacts.put(key, req.body());
                    return ok(obj());
                }
                case "GET" -> {
                    byte[] data = artifacts.get(key);
                    if (data == null) {
                        return error(500, "INTERNAL_ERROR", "[Errno 2] No such file or directory: '/mlartifacts/" + key + "'");
                    }
                    return new Reply(200, "application/octet-stream", data);
                }
                default -> {
                    return notFound();
                }
            }
        }
    }

    private synchronized Reply listArtifacts(String prefix) {
        String dir = prefix.endsWith("/") || prefix.isEmpty() ? prefix : prefix + "/";
        Map<String, ObjectNode> entries = new TreeMap<>();
        for (Map.Entry<String, byte[]> a : artifacts.entrySet()) {
            if (a.getKey().startsWith(dir)) {
                String rest = a.getKey().substring(dir.length());
                int slash = rest.indexOf('/');
                if (slash < 0) {
                    entries.put(rest, obj().put("path", rest).put("is_dir", false).put("file_size", a.getValue().length));
                } else {
                    String sub = rest.substring(0, slash);
                    entries.putIfAbsent(sub, obj().put("path", sub).put("is_dir", true));
                }
            }
        }
        ObjectNode o = obj();
        if (!entries.isEmpty()) {
            ArrayNode files = o.putArray("files");
            entries.values().forEach(files::add);
        }
        return ok(o);
    }

    // ---------------------------------------------------------------- registry

    private Reply createModel(JsonNode in) {
        String name = required(in, "name");
        if (models.containsKey(name)) {
            throw new ApiError(400, "RESOURCE_ALREADY_EXISTS", "Registered Model (name=" + name + ") already exists.");
        }
        ModelState m = new ModelState(name, ++clock);
        models.put(name, m);
        return ok(obj().set("registered_model", modelJson(m)));
    }

    private ModelState model(String name) {
        ModelState m = models.get(name);
        if (m == null) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Registered Model with name=" + name + " not found");
        }
        return m;
    }

    private Reply createVersion(JsonNode in) {
        ModelState m = model(required(in, "name"));
        String source = required(in, "source");
        int version = m.versions.isEmpty() ? 1 : m.versions.lastKey() + 1;
        long now = ++clock;
        ObjectNode mv = obj().put("name", m.name).put("version", String.valueOf(version)).put("creation_timestamp", now)
                .put("last_updated_timestamp", now).put("current_stage", "None").put("description", "")
                .put("source", source).put("run_id", in.path("run_id").asText("")).put("status", "READY");
        ArrayNode tags = mv.putArray("tags");
        for (JsonNode t : in.path("tags")) {
            tags.addObject().put("key", required(t, "key")).put("value", t.path("value").asText(""));
        }
        m.versions.put(version, mv);
        m.updated = now;
        return ok(obj().set("model_version", versionJson(m, String.valueOf(version))));
    }

    private ObjectNode versionJson(ModelState m, String version) {
        ObjectNode mv;
        try {
            mv = m.versions.get(Integer.parseInt(version));
        } catch (NumberFormatException e) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Model version must be an integer, got '" + version + "'");
        }
        if (mv == null) {
            throw new ApiError(404, "RESOURCE_DOES_NOT_EXIST", "Model Version (name=" + m.name + ", version=" + version + ") not found");
        }
        ObjectNode out = mv.deepCopy();
        ArrayNode aliases = out.putArray("aliases");
        m.aliases.forEach((a, v) -> {
            if (v.equals(version)) {
                aliases.add(a);
            }
        });
        return out;
    }

    private ObjectNode modelJson(ModelState m) {
        ObjectNode o = obj().put("name", m.name).put("creation_timestamp", m.created).put("last_updated_timestamp", m.updated);
        if (!m.versions.isEmpty()) {
            o.putArray("latest_versions").add(versionJson(m, String.valueOf(m.versions.lastKey())));
        }
        if (!m.aliases.isEmpty()) {
            ArrayNode aliases = o.putArray("aliases");
            m.aliases.forEach((a, v) -> aliases.addObject().put("alias", a).put("version", v));
        }
        return o;
    }

    private Reply setAlias(JsonNode in) {
        ModelState m = model(required(in, "name"));
        String alias = required(in, "alias");
        String version = required(in, "version");
        versionJson(m, version);
        m.aliases.put(alias, version);
        m.updated = ++clock;
        return ok(obj());
    }

    private Reply getAlias(JsonNode in) {
        String name = required(in, "name");
        String alias = required(in, "alias");
        ModelState m = models.get(name);
        String version = m == null ? null : m.aliases.get(alias);
        if (version == null) {
            // What MLflow 2.17's stores raise for an alias that is not set (and for a model that does not exist).
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Registered model alias " + alias + " not found.");
        }
        return ok(obj().set("model_version", versionJson(m, version)));
    }

    private Reply deleteAlias(JsonNode in) {
        ModelState m = model(required(in, "name"));
        m.aliases.remove(required(in, "alias"));
        m.updated = ++clock;
        return ok(obj());
    }

    // ---------------------------------------------------------------- helpers

    private static String required(JsonNode in, String field) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull() || v.asText().isEmpty()) {
            throw new ApiError(400, "INVALID_PARAMETER_VALUE", "Missing value for required parameter '" + field + "'. See the API docs for"
                    + " more information about request parameters.");
        }
        return v.asText();
    }

    private static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private static Reply ok(ObjectNode body) {
        return json(200, body);
    }

    private static Reply error(int status, String code, String message) {
        return json(status, obj().put("error_code", code).put("message", message));
    }

    private static Reply json(int status, ObjectNode body) {
        try {
            return new Reply(status, "application/json", JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Reply notFound() {
        String html = "<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n"
                + "<p>The requested URL was not found on the server. If you entered the URL manually please check your spelling and try again.</p>\n";
        return new Reply(404, "text/html; charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }
}
