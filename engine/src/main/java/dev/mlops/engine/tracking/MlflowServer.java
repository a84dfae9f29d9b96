package dev.mlops.engine.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.tracking.MlflowHttp.Answer;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tracking and registry on a remote MLflow 2.17 server over its REST API; {@link MlflowHttp} does the exchanges.
 *
 * <p><b>Why not {@code org.mlflow.tracking.MlflowClient}.</b> Its transport, {@code MlflowHttpCaller} (2.17.2,
 * read with {@code javap}), builds its Apache client with {@code HttpClientBuilder.create()} and no
 * {@code RequestConfig}: there is no connect or request timeout we can set, so an unreachable or silent host hangs
 * for the OS default. Its {@code executeRequest} retries every non-2xx answer, 4xx included, up to
 * {@code maxRetryAttempts} (3) times without delay (only 429 gets a sleep), and so repeats creates whose reply was
 * lost. It cannot create registered models, versions or aliases, and cannot upload artifacts over HTTP (it forks
 * {@code python -m mlflow.store.artifact.cli}). So every call goes through one {@link java.net.http.HttpClient}
 * transport we control.
 *
 * <p><b>Creates are never duplicated.</b> {@code runs/create} and {@code model-versions/create} carry a random
 * {@link #CLIENT_TOKEN_TAG} tag; when their reply is lost, the run is looked up with {@code runs/search} (filter on
 * the tag) and the version with {@code model-versions/search} (filter on {@code run_id}, then the tag), and the
 * create is sent again only when it is not found. Every other write is safe to repeat as it is:
 * {@code experiments/create} and {@code registered-models/create} answer a repeat with
 * {@code RESOURCE_ALREADY_EXISTS}, which is read as success; {@code runs/log-batch} re-logs params with the same
 * value (accepted) and metrics with the same key, value, timestamp and step (the SQL store drops the duplicate row;
 * the file store appends an identical point); {@code runs/set-tag}, {@code runs/update} and
 * {@code registered-models/alias} set the same values again; deleting an alias that is gone is fine; an artifact PUT
 * writes the same bytes to the same path.
 *
 * <p><b>Request shapes.</b> Bodies are built with Jackson using the proto field names in snake_case
 * ({@code run_id}, {@code experiment_id}) exactly as {@code mlflow/protos/service.proto} and
 * {@code model_registry.proto} name them (the same names the client's shaded
 * {@code JsonFormat.printer().preservingProtoFieldNames()} would print); ids and versions are sent as strings,
 * int64 timestamps as JSON numbers (MLflow accepts both).
 *
 * <p><b>Secrets.</b> The token or password travels only in the {@code Authorization} header. User-info in the
 * tracking URI is stripped from {@link #describe()} and messages (and used as basic credentials when no others are
 * given); every message passes through {@link #redact(String)}.
 */
public final class MlflowServer implements Tracker {
    static final String API = "/api/2.0/mlflow/";
    static final String ARTIFACTS = "/api/2.0/mlflow-artifacts/artifacts";
    static final int MAX_PARAMS = 100;
    static final int MAX_TAGS = 100;
    static final int MAX_METRICS = 1000;
    /** Tag on every run and model version this client creates: a random token that finds it again after a lost reply. */
    public static final String CLIENT_TOKEN_TAG = "mlops.client_token";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String shown;
    private final Clock clock;
    private final MlflowHttp http;
    private final Map<String, String> artifactUris = new ConcurrentHashMap<>();

    /** How often and how long to wait before retrying a 5xx or connection error. */
    public record Retry(int maxAttempts, Duration firstDelay) {
        public static final Retry DEFAULT = new Retry(4, Duration.ofMillis(250));

        public Retry {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1");
            }
        }
    }

    public MlflowServer(String uri, TrackingCredentials credentials, Timeouts timeouts, Log log, Clock clock, Retry retry) {
        URI parsed;
        try {
            parsed = new URI(uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri);
        } catch (Exception e) {
            throw new InputException("tracking URI '" + stripUserInfo(uri) + "' is not a valid http(s) URL");
        }
        if (parsed.getHost() == null || !("http".equals(parsed.getScheme()) || "https".equals(parsed.getScheme()))) {
            throw new InputException("tracking URI '" + stripUserInfo(uri) + "' is not a valid http(s) URL with a host");
        }
        TrackingCredentials creds = credentials == null ? TrackingCredentials.NONE : credentials;
        List<String> hidden = new ArrayList<>();
        String auth = null;
        if (creds.token() != null) {
            auth = "Bearer " + creds.token().reveal();
            hidden.add(creds.token().reveal());
        } else if (creds.username() != null && creds.password() != null) {
            auth = basic(creds.username(), creds.password().reveal());
            hidden.add(creds.password().reveal());
        } else if (parsed.getRawUserInfo() != null) {
            String[] ui = parsed.getUserInfo().split(":", 2);
            auth = basic(ui[0], ui.length > 1 ? ui[1] : "");
            if (ui.length > 1 && !ui[1].isEmpty()) {
                hidden.add(ui[1]);
            }
            hidden.add(parsed.getRawUserInfo());
        }
        if (auth != null) {
            hidden.add(auth.substring(auth.indexOf(' ') + 1));
        }
        URI base = withoutUserInfo(parsed);
        this.shown = base.toString();
        this.clock = clock;
        this.http = new MlflowHttp(base, auth, hidden, timeouts, retry, log);
    }

    public MlflowServer(String uri, TrackingCredentials credentials, Timeouts timeouts, Log log) {
        this(uri, credentials, timeouts, log, Clock.systemUTC(), Retry.DEFAULT);
    }

    @Override
    public String describe() {
        return shown;
    }

    // ---------------------------------------------------------------- experiments and runs

    /** The experiment's id, creating it when it does not exist yet. */
    public String experimentId(String experimentName) {
        Optional<JsonNode> found = getExperimentByName(experimentName);
        if (found.isPresent()) {
            return found.get().path("experiment").path("experiment_id").asText();
        }
        ObjectNode body = JSON.createObjectNode().put("name", experimentName);
        Answer a = http.call("POST", API + "experiments/create", body);
        if (a.ok()) {
            return a.json().path("experiment_id").asText();
        }
        if ("RESOURCE_ALREADY_EXISTS".equals(a.errorCode())) { // created concurrently by someone else
            return getExperimentByName(experimentName).map(n -> n.path("experiment").path("experiment_id").asText())
                    .orElseThrow(() -> http.fail(a, "create experiment '" + experimentName + "'"));
        }
        throw http.fail(a, "create experiment '" + experimentName + "'");
    }

    private Optional<JsonNode> getExperimentByName(String name) {
        Answer a = http.call("GET", API + "experiments/get-by-name?experiment_name=" + enc(name), null);
        if (a.ok()) {
            return Optional.of(a.json());
        }
        if (a.missing()) {
            return Optional.empty();
        }
        throw http.fail(a, "look up experiment '" + name + "'");
    }

    @Override
    public RunRef startRun(String experimentName, String runName, Map<String, String> tags) {
        if (experimentName == null || experimentName.isBlank()) {
            throw new InputException("tracking experiment name is empty; expected a name such as 'churn'");
        }
        String experimentId = experimentId(experimentName);
        String token = UUID.randomUUID().toString();
        Map<String, String> all = SystemTags.complete(tags);
        all.put(CLIENT_TOKEN_TAG, token);
        ObjectNode body = JSON.createObjectNode();
        body.put("experiment_id", experimentId);
        body.put("user_id", all.get(SystemTags.USER)); // as MLflow's clients send it: the run's user attribute
        if (runName != null && !runName.isBlank()) {
            body.put("run_name", runName);
        }
        body.put("start_time", clock.millis());
        body.set("tags", keyValues(all));
        JsonNode info = http.create(API + "runs/create", body, "create a run in experiment '" + experimentName + "'",
                deadline -> runByToken(experimentId, token, deadline)).path("run").path("info");
        String runId = info.path("run_id").asText(info.path("run_uuid").asText());
        String artifactUri = info.path("artifact_uri").asText();
        artifactUris.put(runId, artifactUri);
        return new RunRef(runId, info.path("experiment_id").asText(experimentId), artifactUri);
    }

    /** The run a lost {@code runs/create} reply was about, as {@code {"run": ...}}; empty when it was not created. */
    private Optional<JsonNode> runByToken(String experimentId, String token, MlflowHttp.Deadline deadline) {
        ObjectNode query = JSON.createObjectNode();
        query.putArray("experiment_ids").add(experimentId);
        query.put("filter", "tags.`" + CLIENT_TOKEN_TAG + "` = '" + token + "'");
        query.put("max_results", 1);
        JsonNode runs = ok(http.call("POST", API + "runs/search", query, deadline), "look up the run being created").path("runs");
        return runs.isEmpty() ? Optional.empty() : Optional.of(JSON.createObjectNode().set("run", runs.get(0)));
    }

    @Override
    public void logParams(String runId, Map<String, String> params) {
        List<Map.Entry<String, String>> all = new ArrayList<>(params.entrySet());
        for (int i = 0; i < all.size(); i += MAX_PARAMS) {
            ArrayNode chunk = JSON.createArrayNode();
            for (Map.Entry<String, String> e : all.subList(i, Math.min(all.size(), i + MAX_PARAMS))) {
                chunk.addObject().put("key", e.getKey()).put("value", e.getValue() == null ? "" : e.getValue());
            }
            logBatch(runId, "params", chunk);
        }
    }

    @Override
    public void logMetrics(String runId, Map<String, Double> metrics) {
        long now = clock.millis();
        List<Map.Entry<String, Double>> all = new ArrayList<>(metrics.entrySet());
        for (int i = 0; i < all.size(); i += MAX_METRICS) {
            ArrayNode chunk = JSON.createArrayNode();
            for (Map.Entry<String, Double> e : all.subList(i, Math.min(all.size(), i + MAX_METRICS))) {
                ObjectNode m = chunk.addObject().put("key", e.getKey());
                double v = e.getValue();
                if (Double.isFinite(v)) {
                    m.put("value", v);
                } else {
                    // proto3 JSON spells non-finite doubles as strings
                    m.put("value", Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
                }
                m.put("timestamp", now).put("step", 0);
            }
            logBatch(runId, "metrics", chunk);
        }
    }

    /** One tag goes through {@code runs/set-tag}; more go through {@code runs/log-batch} in chunks of 100. */
    @Override
    public void setTags(String runId, Map<String, String> tags) {
        if (tags.size() == 1) {
            Map.Entry<String, String> t = tags.entrySet().iterator().next();
            ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("key", t.getKey())
                    .put("value", t.getValue() == null ? "" : t.getValue());
            ok(http.call("POST", API + "runs/set-tag", body), "set tag '" + t.getKey() + "' on run '" + runId + "'");
            return;
        }
        List<Map.Entry<String, String>> all = new ArrayList<>(tags.entrySet());
        for (int i = 0; i < all.size(); i += MAX_TAGS) {
            logBatch(runId, "tags", keyValues(all.subList(i, Math.min(all.size(), i + MAX_TAGS))));
        }
    }

    private void logBatch(String runId, String field, ArrayNode items) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId);
        body.set(field, items);
        ok(http.call("POST", API + "runs/log-batch", body), "log " + items.size() + " " + field + " to run '" + runId + "'");
    }

    @Override
    public void endRun(String runId, RunStatus status) {
        ObjectNode body = JSON.createObjectNode().put("run_id", runId).put("status", status.name()).put("end_time", clock.millis());
        ok(http.call("POST", API + "runs/update", body), "end run '" + runId + "'");
    }

    @Override
    public RunInfo getRun(String runId) {
        JsonNode run = getRunJson(runId);
        JsonNode info = run.path("info");
        JsonNode data = run.path("data");
        Map<String, String> params = toMap(data.path("params"));
        Map<String, String> tags = toMap(data.path("tags"));
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (JsonNode m : data.path("metrics")) {
            JsonNode v = m.path("value");
            metrics.put(m.path("key").asText(), v.isNumber() ? v.asDouble() : Double.parseDouble(v.asText()));
        }
        String name = info.path("run_name").asText(tags.getOrDefault("mlflow.runName", ""));
        return new RunInfo(info.path("run_id").asText(runId), info.path("experiment_id").asText(), name,
                RunStatus.valueOf(info.path("status").asText("RUNNING")), info.path("artifact_uri").asText(), params, metrics, tags);
    }

    private JsonNode getRunJson(String runId) {
        Answer a = http.call("GET", API + "runs/get?run_id=" + enc(runId), null);
        if (a.missing()) {
            throw new InputException("run '" + runId + "' does not exist at " + shown);
        }
        JsonNode run = ok(a, "read run '" + runId + "'").path("run");
        artifactUris.put(runId, run.path("info").path("artifact_uri").asText());
        return run;
    }

    // ---------------------------------------------------------------- artifacts

    @Override
    public void logArtifact(String runId, Path file, String artifactDir) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("artifact " + file + " does not exist or is not a file");
        }
        String dir = artifactDir == null ? "" : artifactDir.replace('\\', '/');
        String path = artifactPath(runId, dir.isEmpty() ? file.getFileName().toString() : dir + "/" + file.getFileName());
        ok(http.upload(path, file), "upload artifact " + file.getFileName() + " to run '" + runId + "'");
    }

    @Override
    public Path downloadArtifact(String runId, String artifactPath, Path targetDir) {
        String relative = artifactPath.replace('\\', '/');
        String path = artifactPath(runId, relative);
        Answer a = http.download(path);
        if (!a.ok()) {
            // The proxy answers 500 INTERNAL_ERROR for a missing file; tell that apart from a server fault.
            if (a.status() >= 500 && !artifactListed(path, relative)) {
                throw new InputException("artifact '" + artifactPath + "' of run '" + runId + "' does not exist at " + shown);
            }
            throw http.fail(a, "download artifact '" + artifactPath + "' of run '" + runId + "'");
        }
        String fileName = relative.substring(relative.lastIndexOf('/') + 1);
        Path target = targetDir.resolve(fileName);
        AtomicFiles.writeBytes(target, a.body());
        return target;
    }

    private boolean artifactListed(String filePath, String relative) {
        String full = filePath.substring(ARTIFACTS.length() + 1);
        String parent = full.substring(0, full.lastIndexOf('/'));
        Answer list = http.call("GET", ARTIFACTS + "?path=" + enc(decodePath(parent)), null);
        if (!list.ok()) {
            return true; // cannot tell: report the original failure
        }
        String name = relative.substring(relative.lastIndexOf('/') + 1);
        for (JsonNode f : list.json().path("files")) {
            if (name.equals(f.path("path").asText())) {
                return true;
            }
        }
        return false;
    }

    /** The proxy path of a run's artifact: {@code /api/2.0/mlflow-artifacts/artifacts/<exp>/<run>/artifacts/<path>}. */
    private String artifactPath(String runId, String relative) {
        String uri = artifactUris.get(runId);
        if (uri == null) {
            getRunJson(runId);
            uri = artifactUris.get(runId);
        }
        if (uri == null || !uri.startsWith("mlflow-artifacts:")) {
            throw new InputException("run '" + runId + "' stores artifacts at '" + uri + "', which " + shown
                    + " does not proxy; start the MLflow server with --serve-artifacts");
        }
        String location = uri.substring("mlflow-artifacts:".length());
        // mlflow-artifacts:/<exp>/<run>/artifacts or mlflow-artifacts://host/<exp>/...
        if (location.startsWith("//")) {
            int slash = location.indexOf('/', 2);
            location = slash < 0 ? "" : location.substring(slash);
        }
        location = location.replaceAll("^/+", "");
        StringBuilder path = new StringBuilder(ARTIFACTS);
        for (String seg : (location + "/" + relative).split("/")) {
            if (seg.isEmpty()) {
                continue;
            }
            if (seg.equals("..") || seg.equals(".")) {
                throw new InputException("artifact path '" + relative + "' is not valid: '.' and '..' are not allowed");
            }
            path.append('/').append(enc(seg).replace("+", "%20"));
        }
        return path.toString();
    }

    private static String decodePath(String encoded) {
        return java.net.URLDecoder.decode(encoded.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- registry

    @Override
    public ModelVersion createModelVersion(String modelName, String runId, String artifactPath, Map<String, String> tags) {
        Answer created = http.call("POST", API + "registered-models/create", JSON.createObjectNode().put("name", modelName));
        if (!created.ok() && !"RESOURCE_ALREADY_EXISTS".equals(created.errorCode())) {
            throw http.fail(created, "create registered model '" + modelName + "'");
        }
        String runArtifacts = artifactUris.get(runId);
        if (runArtifacts == null) {
            getRunJson(runId);
            runArtifacts = artifactUris.get(runId);
        }
        String source = artifactPath == null || artifactPath.isEmpty() ? runArtifacts : runArtifacts + "/" + artifactPath;
        String token = UUID.randomUUID().toString();
        Map<String, String> all = new LinkedHashMap<>(tags);
        all.put(CLIENT_TOKEN_TAG, token);
        ObjectNode body = JSON.createObjectNode().put("name", modelName).put("source", source).put("run_id", runId);
        body.set("tags", keyValues(all));
        JsonNode mv = http.create(API + "model-versions/create", body, "register a version of model '" + modelName + "'",
                deadline -> versionByToken(modelName, runId, token, deadline)).path("model_version");
        return version(mv);
    }

    /** The version a lost {@code model-versions/create} reply was about; empty when it was not created. */
    private Optional<JsonNode> versionByToken(String modelName, String runId, String token, MlflowHttp.Deadline deadline) {
        // run_id is a filter attribute in every MLflow 2.x registry store; the tag is then matched here.
        String filter = "run_id = '" + runId + "'";
        JsonNode versions = ok(http.call("GET", API + "model-versions/search?filter=" + enc(filter) + "&max_results=1000", null,
                deadline), "look up the version of model '" + modelName + "' being registered").path("model_versions");
        for (JsonNode mv : versions) {
            if (modelName.equals(mv.path("name").asText()) && token.equals(toMap(mv.path("tags")).get(CLIENT_TOKEN_TAG))) {
                return Optional.of(JSON.createObjectNode().set("model_version", mv));
            }
        }
        return Optional.empty();
    }

    @Override
    public ModelVersion getModelVersion(String modelName, String version) {
        Answer a = http.call("GET", API + "model-versions/get?name=" + enc(modelName) + "&version=" + enc(version), null);
        if (a.missing()) {
            requireModel(modelName);
            throw new InputException("registered model '" + modelName + "' has no version '" + version + "' at " + shown);
        }
        return version(ok(a, "read version " + version + " of model '" + modelName + "'").path("model_version"));
    }

    @Override
    public Optional<ModelVersion> findByAlias(String modelName, String alias) {
        Answer a = http.call("GET", API + "registered-models/alias?name=" + enc(modelName) + "&alias=" + enc(alias), null);
        if (a.ok()) {
            return Optional.of(version(a.json().path("model_version")));
        }
        // A missing alias is 404 RESOURCE_DOES_NOT_EXIST on the SQL store and 400 INVALID_PARAMETER_VALUE on the file store.
        if (a.missing() || "INVALID_PARAMETER_VALUE".equals(a.errorCode())) {
            requireModel(modelName);
            return Optional.empty();
        }
        throw http.fail(a, "read alias '" + alias + "' of model '" + modelName + "'");
    }

    @Override
    public void setAlias(String modelName, String alias, String version) {
        ObjectNode body = JSON.createObjectNode().put("name", modelName).put("alias", alias).put("version", version);
        Answer a = http.call("POST", API + "registered-models/alias", body);
        if (a.missing()) {
            getModelVersion(modelName, version); // throws the precise message
        }
        ok(a, "set alias '" + alias + "' of model '" + modelName + "' to version " + version);
    }

    @Override
    public void deleteAlias(String modelName, String alias) {
        // The Python client sends DELETE with a JSON body; the query string carries the same fields for servers that read args.
        ObjectNode body = JSON.createObjectNode().put("name", modelName).put("alias", alias);
        Answer a = http.call("DELETE", API + "registered-models/alias?name=" + enc(modelName) + "&alias=" + enc(alias), body);
        if (a.missing()) {
            requireModel(modelName);
            return; // alias already gone
        }
        ok(a, "delete alias '" + alias + "' of model '" + modelName + "'");
    }

    @Override
    public boolean registeredModelExists(String modelName) {
        Answer a = http.call("GET", API + "registered-models/get?name=" + enc(modelName), null);
        if (a.missing()) {
            return false;
        }
        JsonNode model = ok(a, "read registered model '" + modelName + "'").path("registered_model");
        if (!modelName.equals(model.path("name").asText(null))) {
            throw http.notMlflow(a); // JSON, but not MLflow's answer
        }
        return true;
    }

    private void requireModel(String modelName) {
        Answer a = http.call("GET", API + "registered-models/get?name=" + enc(modelName), null);
        if (a.missing()) {
            throw new InputException("registered model '" + modelName + "' does not exist at " + shown);
        }
        ok(a, "read registered model '" + modelName + "'");
    }

    private static ModelVersion version(JsonNode mv) {
        List<String> aliases = new ArrayList<>();
        mv.path("aliases").forEach(n -> aliases.add(n.asText()));
        return new ModelVersion(mv.path("name").asText(), mv.path("version").asText(), mv.path("run_id").asText(null),
                mv.path("source").asText(null), toMap(mv.path("tags")), aliases);
    }

    // ---------------------------------------------------------------- transport

    private JsonNode ok(Answer a, String what) {
        if (a.ok()) {
            return a.json();
        }
        throw http.fail(a, what);
    }

    /** Replaces every credential (and its base64 form) in {@code text}. */
    public String redact(String text) {
        return http.redact(text);
    }

    // ---------------------------------------------------------------- small helpers

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static URI withoutUserInfo(URI u) {
        try {
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null);
        } catch (Exception e) {
            throw new InputException("tracking URI is not a valid http(s) URL");
        }
    }

    /** For messages about a URI we could not parse: drop anything between "://" and "@". */
    static String stripUserInfo(String uri) {
        return uri == null ? null : uri.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s == null ? "" : s, StandardCharsets.UTF_8);
    }

    private static ArrayNode keyValues(Map<String, String> map) {
        return keyValues(new ArrayList<>(map.entrySet()));
    }

    private static ArrayNode keyValues(List<Map.Entry<String, String>> entries) {
        ArrayNode out = JSON.createArrayNode();
        for (Map.Entry<String, String> e : entries) {
            out.addObject().put("key", e.getKey()).put("value", e.getValue() == null ? "" : e.getValue());
        }
        return out;
    }

    private static Map<String, String> toMap(JsonNode keyValues) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode kv : keyValues) {
            out.put(kv.path("key").asText(), kv.path("value").asText());
        }
        return out;
    }

    @Override
    public void close() {
        // java.net.http.HttpClient in Java 17 has no close(); its threads end when it is unreachable
    }
}
