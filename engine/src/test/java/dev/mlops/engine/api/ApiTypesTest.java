package dev.mlops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API's value types: every result has one JSON form that Jackson reads back to an equal record and that carries
 * the contract's field names; requests and results survive Java serialization (a Jenkins step ships them to an
 * agent); a request's withX never changes the original.
 */
class ApiTypesTest {
    static final Report REPORT = new Report("Gate", false, new Report.Counts(2, 1, 0, 1, 0),
            Map.of("baseline", "none (first release)"),
            List.of(new Report.Row("min", "accuracy", 0.91, null, null, "accuracy >= 0.93", "FAIL", "0.91 < 0.93"),
                    new Report.Row("max", "model_size_bytes", 1234.0, null, null, "<= 2000000", "PASS", "ok")));
    static final ReportPaths PATHS = new ReportPaths("/o/reports/gate.json", "/o/reports/gate.junit.xml", "/o/reports/gate.md");
    static final ReleaseInfo RELEASE = new ReleaseInfo("r20261125-010000-beef", "deploy", "cancer", "production", "blue",
            "srv:1", "cancer", "3", "models:/cancer/3", "abc", "alice", "https://ci/7", "2026-11-25T01:00:00Z",
            "2026-11-25T01:00:40Z", "SUCCEEDED", null, "r20261124-2300-aaaa", "production");

    /** One instance of every result type, with the fields the contract fixes named next to it. */
    static List<Object[]> results() {
        List<Object[]> all = new ArrayList<>();
        all.add(new Object[]{new ValidateDataResult(true, 0, REPORT, PATHS), "passed,exitCode,report,reports"});
        all.add(new Object[]{new TrainResult("run1", "http://m/#/experiments/1/runs/run1", "/o/model.tribuo", "ab12",
                "logistic", Map.of("C", 1.0), Map.of("accuracy", 0.95), 455, 114,
                new TrainResult.DataChecks(true, PATHS, REPORT), "/o", "/o/train.json", "/o/metrics.json",
                "/o/model-card.md", Map.of("search", 120L), 0),
                "runId,runUrl,model,modelSha256,algorithm,chosen,metrics,trainRows,testRows,dataChecks,outDir,trainJson,"
                        + "timingsMillis,exitCode"});
        all.add(new Object[]{new GateResult(false, 1, null, GateFailure.of(REPORT), REPORT, PATHS),
                "passed,exitCode,baseline,failures,report,reports"});
        all.add(new Object[]{new RegisterResult("cancer", "3", "candidate", "run1", "ab12", 0),
                "name,version,alias,runId,modelSha256,exitCode"});
        all.add(new Object[]{new PromoteResult("cancer", "production", "3", "2", 0),
                "model,alias,version,previousVersion,exitCode"});
        all.add(new Object[]{new RunResult(RunResult.Stage.GATE, false, 1, "run1", null,
                new RunResult.Version("cancer", "3", List.of("candidate"), "models:/x"), Map.of("C", 0.1),
                Map.of("accuracy", 0.9), true, false, GateFailure.of(REPORT), new RunResult.Reports(PATHS, PATHS), REPORT,
                REPORT, "/o", Map.of("load", 3L), 1.25),
                "stage,passed,exitCode,runId,runUrl,modelVersion,chosen,metrics,dataChecksPassed,gatePassed,gateFailures,"
                        + "reports,outDir,timingsMillis,elapsedSeconds"});
        all.add(new Object[]{new ReleaseResult(RELEASE, "namespace ml at https://k8s", "blue", 0),
                "release,target,trafficOn,exitCode"});
        all.add(new Object[]{new StatusResult("cancer", "production", "local processes", "blue",
                List.of(new StatusResult.Slot("blue", "r1", "srv:1", "cancer", "3", 2, 2)), List.of(RELEASE),
                new StatusResult.Lock("alice", "https://ci/7", "2026-11-25T01:00:00Z", "2026-11-25T01:01:30Z"),
                new StatusResult.Endpoint("http://127.0.0.1:8080", true, "3"), 0),
                "app,environment,target,active,slots,releases,lock,endpoint,exitCode"});
        all.add(new Object[]{new StopResult("cancer", "staging", List.of("blue", "proxy"), 0), "app,environment,stopped,exitCode"});
        all.add(new Object[]{ErrorResult.of(new InputException("mlops.yaml:3: 'x' is not a known key")), "error"});
        return all;
    }

    @Test
    void everyResultRoundTripsThroughJacksonAndCarriesTheContractFields() throws Exception {
        for (Object[] row : results()) {
            Object result = row[0];
            String json = Json.write(result);
            assertThat(Json.MAPPER.readValue(json, result.getClass())).as(json).isEqualTo(result);
            JsonNode node = Json.MAPPER.readTree(json);
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                names.add(it.next());
            }
            List<String> contract = List.of(((String) row[1]).split(","));
            assertThat(names).as(result.getClass().getSimpleName()).containsAll(contract);
            // the contract's fields come first, in the contract's order; additions follow or sit in between
            assertThat(names.stream().filter(contract::contains).toList()).isEqualTo(contract);
            assertThat(javaRoundTrip(result)).isEqualTo(result);
        }
    }

    @Test
    void nestedFormsCarryTheirContractFields() throws Exception {
        JsonNode release = Json.MAPPER.readTree(Json.write(RELEASE));
        assertThat(release.fieldNames()).toIterable().containsExactly("id", "kind", "app", "environment", "color",
                "image", "modelName", "modelVersion", "modelRef", "gitSha", "who", "buildUrl", "startedAt",
                "finishedAt", "outcome", "reason", "previousRelease", "alias");
        JsonNode report = Json.MAPPER.readTree(Json.write(REPORT));
        assertThat(report.fieldNames()).toIterable().containsExactly("title", "passed", "counts", "context", "checks");
        assertThat(report.path("counts").fieldNames()).toIterable().containsExactly("total", "pass", "warn", "fail", "skip");
        assertThat(report.path("checks").get(0).fieldNames()).toIterable().containsExactly("name", "subject",
                "candidate", "baseline", "delta", "rule", "verdict", "message");
        assertThat(report.path("checks").get(0).path("baseline").isNull()).as("absent values are JSON null").isTrue();
        assertThat(Json.MAPPER.readTree(Json.write(PATHS)).fieldNames()).toIterable()
                .containsExactly("json", "junitXml", "markdown");
        JsonNode failure = Json.MAPPER.readTree(Json.write(GateFailure.of(REPORT).get(0)));
        assertThat(failure.fieldNames()).toIterable().containsExactly("name", "subject", "candidate", "baseline", "rule",
                "message");
    }

    @Test
    void errorsHaveAKindAndTheExitCodeOfTheirException() throws Exception {
        assertThat(Json.MAPPER.readTree(Json.write(ErrorResult.of(new InputException("bad key")))).path("error"))
                .isEqualTo(Json.MAPPER.readTree("{\"message\":\"bad key\",\"exitCode\":2,\"kind\":\"input\"}"));
        assertThat(ErrorResult.of(new InfraException("lock held")).error())
                .isEqualTo(new ErrorResult.Error("lock held", 3, "infra"));
        assertThat(ErrorResult.of(new UncheckedIOException("cannot write out/x", new java.io.IOException())).error().kind())
                .isEqualTo("input");
        ErrorResult.Error bug = ErrorResult.of(new NullPointerException("x")).error();
        assertThat(bug.kind()).isEqualTo("bug");
        assertThat(bug.message()).contains("NullPointerException").contains("bug in mlops");
    }

    @Test
    void requestsAreImmutableValuesThatSurviveSerialization() throws Exception {
        DeployRequest base = new DeployRequest("3");
        DeployRequest d = base.withSpec("mlops.yaml").withEnvironment("staging").withApp("cancer").withPort(9090)
                .withVerifyWindow(Duration.ofSeconds(5)).withMaxErrorRate(0.0).withImage("srv:3").withOverrides(List.of("a=b"));
        assertThat(base.app()).isNull();
        assertThat(base.environment()).isEqualTo("production");
        assertThat(d.app()).isEqualTo("cancer");
        assertThat(d.verifyWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(d.image()).isEqualTo("srv:3");
        assertThat(d).isNotEqualTo(base).isEqualTo(javaRoundTrip(d));
        assertThat(d.hashCode()).isEqualTo(javaRoundTrip(d).hashCode());

        RollbackRequest rb = new RollbackRequest().withTo("2").withAlias("production");
        assertThat(new RollbackRequest().to()).isEqualTo("previous");
        assertThat(javaRoundTrip(rb)).isEqualTo(rb);
        assertThat(javaRoundTrip(new StatusRequest().withApp("x"))).isEqualTo(new StatusRequest().withApp("x"));
        assertThat(javaRoundTrip(new StopRequest().withStateDir("s"))).isEqualTo(new StopRequest().withStateDir("s"));

        for (Object r : List.of(new ValidateDataRequest("s").withOut("o"), new TrainRequest("s").withTrack(false),
                new GateRequest("s").withBaselineVersion("4"), new RegisterRequest("s").withRunId("r"),
                new PromoteRequest("s", "production").withVersion("3"), new RunRequest("s").withGitSha("abc"))) {
            assertThat(javaRoundTrip(r)).isEqualTo(r);
        }
        assertThat(new RegisterRequest("s").alias()).isEqualTo("candidate");
        assertThat(new TrainRequest("s").track()).isTrue();
    }

    private static Object javaRoundTrip(Object o) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return in.readObject();
        }
    }
}
