package dev.mlops.engine.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.MlopsException;
import dev.mlops.engine.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The exact requests MlflowServer sends, its retries, and that credentials never leak. */
class MlflowServerRequestsTest {
    private static final String TOKEN = "tok-7f3a9c-SECRET";
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    Path tmp;

    private MlflowTestServer server;
    private RecordingLog log;

    @BeforeEach
    void start() {
        server = MlflowTestServer.start();
        log = new RecordingLog();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private MlflowServer client(TrackingCredentials creds) {
        return client(server.uri(), creds);
    }

    private MlflowServer client(String uri, TrackingCredentials creds) {
        return new MlflowServer(uri, creds, Timeouts.DEFAULTS, log, new TickingClock(), new MlflowServer.Retry(4, Duration.ofMillis(1)));
    }

    private static TrackingCredentials token() {
        return new TrackingCredentials(Secret.of(TOKEN), null, null);
    }

    private static Map<String, String> keyValues(JsonNode array) {
        Map<String, String> out = new LinkedHashMap<>();
        array.forEach(kv -> out.put(kv.path("key").asText(), kv.path("value").asText()));
        return out;
    }

    private void assertNoSecretIn(Throwable t, String... secrets) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            for (String s : secrets) {
                assertThat(String.valueOf(c.getMessage())).doesNotContain(s);
            }
        }
    }

    private void assertNoSecretInLogs(String... secrets) {
        for (String line : log.lines()) {
            for (String s : secrets) {
                assertThat(line).doesNotContain(s);
            }
        }
    }

    @Test
    void startRunLooksUpThenCreatesTheExperimentAndSendsSnakeCaseJsonWithStringIds() {
        MlflowServer mlflow = client(token());
        RunRef run = mlflow.startRun("churn", "train-1", Map.of("git_sha", "abc123"));

        List<MlflowTestServer.Request> reqs = server.requests();
        assertThat(reqs).extracting(Object::toString).containsExactly(
                "GET " + API + "experiments/get-by-name?experiment_name=churn",
                "POST " + API + "experiments/create",
                "POST " + API + "runs/create");
        assertThat(reqs.get(1).json().toString()).isEqualTo("{\"name\":\"churn\"}");
        JsonNode create = reqs.get(2).json();
        assertThat(create.get("experiment_id").isTextual()).isTrue();
        assertThat(create.get("experiment_id").asText()).isEqualTo("1");
        assertThat(create.get("run_name").asText()).isEqualTo("train-1");
        assertThat(create.get("start_time").asLong()).isEqualTo(TickingClock.START);
        assertThat(keyValues(create.get("tags"))).containsOnlyKeys("git_sha", "mlflow.user", "mlflow.source.name",
                "mlflow.source.type", MlflowServer.CLIENT_TOKEN_TAG).containsEntry("git_sha", "abc123");
        assertThat(keyValues(create.get("tags")).get(MlflowServer.CLIENT_TOKEN_TAG)).matches("[0-9a-f-]{36}");
        assertThat(create.get("user_id").asText()).isEqualTo("mlops");
        for (MlflowTestServer.Request r : reqs) {
            assertThat(r.header("Authorization")).isEqualTo("Bearer " + TOKEN);
            if (r.method().equals("POST")) {
                assertThat(r.header("Content-Type")).isEqualTo("application/json");
            }
        }
        assertThat(run.experimentId()).isEqualTo("1");
        assertThat(run.artifactUri()).isEqualTo("mlflow-artifacts:/1/" + run.runId() + "/artifacts");
        assertThat(mlflow.describe()).isEqualTo(server.uri()).doesNotContain(TOKEN);

        server.clearRequests();
        mlflow.startRun("churn", "train-2", Map.of());
        assertThat(server.requests()).extracting(Object::toString).containsExactly(
                "GET " + API + "experiments/get-by-name?experiment_name=churn",
                "POST " + API + "runs/create");
    }

    @Test
    void logBatchRespectsMlflowLimitsByChunking() {
        MlflowServer mlflow = client(TrackingCredentials.NONE);
        RunRef run = mlflow.startRun("e", "r", Map.of());
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            params.put("p" + i, "v");
            tags.put("t" + i, "v");
        }
        for (int i = 0; i < 2500; i++) {
            metrics.put("m" + i, 1.0);
        }
        server.clearRequests();
        mlflow.logParams(run.runId(), params);
        mlflow.logMetrics(run.runId(), metrics);
        mlflow.setTags(run.runId(), tags);
        List<MlflowTestServer.Request> batches = server.requests("POST", API + "runs/log-batch");
        assertThat(batches).extracting(r -> r.json().path("params").size()).containsExactly(100, 100, 50, 0, 0, 0, 0, 0, 0);
        assertThat(batches).extracting(r -> r.json().path("metrics").size()).containsExactly(0, 0, 0, 1000, 1000, 500, 0, 0, 0);
        assertThat(batches).extracting(r -> r.json().path("tags").size()).containsExactly(0, 0, 0, 0, 0, 0, 100, 100, 50);
        JsonNode metric = batches.get(3).json().path("metrics").get(0);
        assertThat(metric.get("key").asText()).isEqualTo("m0");
        assertThat(metric.get("value").asDouble()).isEqualTo(1.0);
        assertThat(metric.has("timestamp")).isTrue();
        assertThat(metric.get("step").asLong()).isZero();
        assertThat(batches).allSatisfy(r -> assertThat(r.json().get("run_id").asText()).isEqualTo(run.runId()));
    }

    @Test
    void singleTagUsesSetTagAndEndRunSendsStatusAndEndTime() {
        MlflowServer mlflow = client(TrackingCredentials.NONE);
        RunRef run = mlflow.startRun("e", "r", Map.of());
        server.clearRequests();
        mlflow.setTags(run.runId(), Map.of("build_url", "https://ci/1"));
        mlflow.endRun(run.runId(), RunStatus.FAILED);
        List<MlflowTestServer.Request> reqs = server.requests();
        assertThat(reqs).extracting(Object::toString).containsExactly("POST " + API + "runs/set-tag", "POST " + API + "runs/update");
        assertThat(reqs.get(0).json().toString())
                .isEqualTo("{\"run_id\":\"" + run.runId() + "\",\"key\":\"build_url\",\"value\":\"https://ci/1\"}");
        assertThat(reqs.get(1).json().get("status").asText()).isEqualTo("FAILED");
        assertThat(reqs.get(1).json().has("end_time")).isTrue();
    }

    @Test
    void artifactsArePutToTheProxyPathAndDownloadedByGet() throws Exception {
        MlflowServer mlflow = client(token());
        RunRef run = mlflow.startRun("e", "r", Map.of());
        Path file = Files.write(tmp.resolve("model v1.bin"), new byte[]{4, 5, 6});
        server.clearRequests();
        mlflow.logArtifact(run.runId(), file, "model");

        MlflowTestServer.Request put = server.requests().get(0);
        assertThat(put.method()).isEqualTo("PUT");
        assertThat(put.path()).isEqualTo("/api/2.0/mlflow-artifacts/artifacts/1/" + run.runId() + "/artifacts/model/model v1.bin");
        assertThat(put.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(put.header("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(put.body()).containsExactly(4, 5, 6);
        assertThat(server.artifact("1", run.runId(), "model/model v1.bin")).get().isEqualTo(new byte[]{4, 5, 6});

        Path out = mlflow.downloadArtifact(run.runId(), "model/model v1.bin", Files.createDirectories(tmp.resolve("out")));
        assertThat(Files.readAllBytes(out)).containsExactly(4, 5, 6);
    }

    @Test
    void registrationToleratesAnExistingModelAndAliasesUseTheRegistryEndpoints() {
        MlflowServer mlflow = client(TrackingCredentials.NONE);
        RunRef run = mlflow.startRun("e", "r", Map.of());
        server.clearRequests();
        ModelVersion v1 = mlflow.createModelVersion("churn", run.runId(), "model", Map.of("model_sha256", "ab"));
        ModelVersion v2 = mlflow.createModelVersion("churn", run.runId(), "model", Map.of());
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v2.version()).isEqualTo("2");
        List<MlflowTestServer.Request> reqs = server.requests();
        assertThat(reqs).extracting(Object::toString).containsExactly(
                "POST " + API + "registered-models/create", "POST " + API + "model-versions/create",
                "POST " + API + "registered-models/create", "POST " + API + "model-versions/create");
        JsonNode mv = reqs.get(1).json();
        assertThat(mv.get("name").asText()).isEqualTo("churn");
        assertThat(mv.get("run_id").asText()).isEqualTo(run.runId());
        assertThat(mv.get("source").asText()).isEqualTo("mlflow-artifacts:/1/" + run.runId() + "/artifacts/model");
        assertThat(keyValues(mv.get("tags"))).containsOnlyKeys("model_sha256", MlflowServer.CLIENT_TOKEN_TAG)
                .containsEntry("model_sha256", "ab");
        assertThat(keyValues(reqs.get(3).json().get("tags")).get(MlflowServer.CLIENT_TOKEN_TAG))
                .as("a fresh token per create").isNotEqualTo(keyValues(mv.get("tags")).get(MlflowServer.CLIENT_TOKEN_TAG));

        server.clearRequests();
        mlflow.setAlias("churn", "production", "2");
        mlflow.findByAlias("churn", "production");
        mlflow.deleteAlias("churn", "production");
        reqs = server.requests();
        assertThat(reqs).extracting(Object::toString).containsExactly(
                "POST " + API + "registered-models/alias",
                "GET " + API + "registered-models/alias?name=churn&alias=production",
                "DELETE " + API + "registered-models/alias?name=churn&alias=production");
        JsonNode set = reqs.get(0).json();
        assertThat(set.get("version").isTextual()).isTrue();
        assertThat(set.toString()).isEqualTo("{\"name\":\"churn\",\"alias\":\"production\",\"version\":\"2\"}");
    }

    @Test
    void retriesA503WithBackOffThenSucceeds() {
        MlflowServer mlflow = client(token());
        RunRef run = mlflow.startRun("e", "r", Map.of());
        server.clearRequests();
        server.failNext(2, 503);
        mlflow.logParams(run.runId(), Map.of("C", "1"));
        assertThat(server.requests("POST", API + "runs/log-batch")).hasSize(3);
        assertThat(log.lines()).filteredOn(l -> l.startsWith("WARN") && l.contains("503")).hasSize(2);
        assertThat(mlflow.getRun(run.runId()).params()).containsEntry("C", "1");
        assertNoSecretInLogs(TOKEN);
    }

    @Test
    void gives5xxUpAfterTheConfiguredAttemptsAsInfraError() {
        MlflowServer mlflow = client(token());
        RunRef run = mlflow.startRun("e", "r", Map.of());
        server.clearRequests();
        server.failNext(10, 502);
        InfraException e = catchThrowableOfType(() -> mlflow.logParams(run.runId(), Map.of("C", "1")), InfraException.class);
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).contains("502").contains("runs/log-batch").contains(server.uri());
        assertThat(server.requests()).hasSize(4);
        assertNoSecretIn(e, TOKEN);
        assertNoSecretInLogs(TOKEN);
    }

    @Test
    void neverRetriesA400OrA404() {
        MlflowServer mlflow = client(TrackingCredentials.NONE);
        RunRef run = mlflow.startRun("e", "r", Map.of());
        mlflow.logParams(run.runId(), Map.of("C", "1"));
        server.clearRequests();
        InputException changed = catchThrowableOfType(() -> mlflow.logParams(run.runId(), Map.of("C", "2")), InputException.class);
        assertThat(changed.getMessage()).contains("INVALID_PARAMETER_VALUE").contains("C");
        assertThat(server.requests()).hasSize(1);

        server.clearRequests();
        assertThatThrownBy(() -> mlflow.getRun("feedbeef")).isInstanceOf(InputException.class)
                .hasMessageContaining("run 'feedbeef' does not exist at " + server.uri());
        assertThat(server.requests()).hasSize(1);
        assertThat(log.lines()).noneMatch(l -> l.contains("retrying"));
    }

    @Test
    void missingRegisteredModelNamesModelAndServer() {
        MlflowServer mlflow = client(TrackingCredentials.NONE);
        assertThatThrownBy(() -> mlflow.findByAlias("ghost", "production")).isInstanceOf(InputException.class)
                .hasMessage("registered model 'ghost' does not exist at " + server.uri());
        assertThatThrownBy(() -> mlflow.getModelVersion("ghost", "3")).isInstanceOf(InputException.class)
                .hasMessage("registered model 'ghost' does not exist at " + server.uri());
        assertThatThrownBy(() -> mlflow.setAlias("ghost", "production", "3")).isInstanceOf(InputException.class)
                .hasMessage("registered model 'ghost' does not exist at " + server.uri());
    }

    @Test
    void unreachableServerFailsFastWithAClearMessageAndExit3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MlflowServer mlflow = client("http://bob:hunter2pw@127.0.0.1:" + port, TrackingCredentials.NONE);
        long t0 = System.nanoTime();
        InfraException e = catchThrowableOfType(() -> mlflow.startRun("e", "r", Map.of()), InfraException.class);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).isEqualTo("cannot reach MLflow tracking server at http://127.0.0.1:" + port
                + " (connection refused); check the tracking URI and that the server is running");
        assertThat(seconds).isLessThan(10);
        assertNoSecretIn(e, "hunter2pw", "bob:");
        assertNoSecretInLogs("hunter2pw", "bob:");
        assertThat(mlflow.describe()).isEqualTo("http://127.0.0.1:" + port);
    }

    @Test
    void connectTimeoutIsBoundedAndRetriedOnceOnly() throws Exception {
        // A listening socket whose accept queue is full: the kernel drops further SYNs, so connecting times out.
        try (ServerSocket full = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            List<java.net.Socket> fillers = new java.util.ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    java.net.Socket s = new java.net.Socket();
                    try {
                        s.connect(full.getLocalSocketAddress(), 200);
                        fillers.add(s);
                    } catch (java.io.IOException e) {
                        s.close();
                        break; // queue is full already
                    }
                }
                String uri = "http://127.0.0.1:" + full.getLocalPort();
                MlflowServer mlflow = new MlflowServer(uri, token(),
                        new Timeouts(Duration.ofMillis(300), Duration.ofSeconds(10), Duration.ofSeconds(30)), log, new TickingClock(),
                        new MlflowServer.Retry(4, Duration.ofMillis(1)));
                long t0 = System.nanoTime();
                InfraException e = catchThrowableOfType(() -> mlflow.startRun("e", "r", Map.of()), InfraException.class);
                long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
                assertThat(e).isNotNull();
                assertThat(e.getMessage()).startsWith("cannot reach MLflow tracking server at " + uri
                        + " (connect timed out after 300 ms, tracking.connectTimeoutSeconds)");
                assertThat(seconds).isLessThan(10);
                assertThat(log.lines()).filteredOn(l -> l.contains("timed out connecting")).hasSize(1);
                assertNoSecretInLogs(TOKEN);
            } finally {
                for (java.net.Socket s : fillers) {
                    s.close();
                }
            }
        }
    }

    @Test
    void wrongCredentialsAreAnInputErrorThatDoesNotEchoThem() {
        server.requireAuthorization("Bearer the-right-one");
        MlflowServer mlflow = client(token());
        MlopsException e = catchThrowableOfType(() -> mlflow.startRun("e", "r", Map.of()), InputException.class);
        assertThat(e.getMessage()).contains("HTTP 401").contains("credentials").contains(server.uri());
        assertNoSecretIn(e, TOKEN);
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void basicAuthFromCredentialsOrUserInfoInTheUri() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:pa55word".getBytes(StandardCharsets.UTF_8));
        server.requireAuthorization(expected);
        client(new TrackingCredentials(null, "alice", Secret.of("pa55word"))).startRun("e", "r", Map.of());
        String withUserInfo = server.uri().replace("http://", "http://alice:pa55word@");
        MlflowServer fromUri = client(withUserInfo, TrackingCredentials.NONE);
        fromUri.startRun("e", "r2", Map.of());
        assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo(expected));
        assertThat(fromUri.describe()).isEqualTo(server.uri());
        MlopsException e = catchThrowableOfType(() -> fromUri.getRun("nope"), InputException.class);
        assertNoSecretIn(e, "pa55word", expected.substring(6));
    }

    @Test
    void nonMlflowEndpointGivesAnInputErrorNotAJsonParseFailure() {
        // An HTML 404 from a path prefix that is not MLflow (e.g. a wrong reverse-proxy route)
        MlflowServer mlflow = client(server.uri() + "/not-mlflow", TrackingCredentials.NONE);
        assertThatThrownBy(() -> mlflow.startRun("e", "r", Map.of())).isInstanceOf(InputException.class)
                .hasMessageContaining("HTTP 404").hasMessageContaining("MLflow tracking server");
    }

    // ---- the test server itself is strict where the real server is (other modules rely on it)

    @Test
    void testServerEnforcesContentTypeWithMlflowsExactBody() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.uri() + API + "experiments/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).header("Content-Type", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo("{\"error_code\":\"INVALID_PARAMETER_VALUE\",\"message\":\"Bad Request. Content-Type must be one of ['application/json'].\"}");
    }

    @Test
    void testServerAnswersUnknownRoutesWithHtml404AndBadJsonWith400() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(URI.create(server.uri() + API + "no/such")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).get().asString().startsWith("text/html");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create(server.uri() + API + "runs/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"error_code\" : \"INVALID_PARAMETER_VALUE\"");
        HttpResponse<String> dup1 = http.send(HttpRequest.newBuilder(URI.create(server.uri() + API + "registered-models/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> dup2 = http.send(HttpRequest.newBuilder(URI.create(server.uri() + API + "registered-models/create"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"m\"}")).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(dup1.statusCode()).isEqualTo(200);
        assertThat(dup2.statusCode()).isEqualTo(400);
        assertThat(dup2.body()).contains("RESOURCE_ALREADY_EXISTS");
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.uri() + "/health")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).isEqualTo("OK");
    }
}
