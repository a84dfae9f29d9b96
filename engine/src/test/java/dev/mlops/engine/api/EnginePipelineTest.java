package dev.mlops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.tracking.MlflowTestServer;
import dev.mlops.engine.tracking.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every pipeline operation through the engine's one door, on the bundled real data set and the local MLflow file
 * store (and once against the in-test MLflow server): results, files written, exit codes, and JSON round trips.
 */
class EnginePipelineTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private Engine engine(Map<String, String> ci) {
        return new Engine(Example.context(dir, log, ci));
    }

    private static <T extends EngineResult> T roundTrips(T result) throws Exception {
        @SuppressWarnings("unchecked")
        T back = (T) Json.MAPPER.readValue(Json.write(result), result.getClass());
        assertThat(back).isEqualTo(result);
        return result;
    }

    @Test
    void validateDataPassesAndAFailedCheckIsExitOneWithReports() throws Exception {
        Example.copy(dir);
        Engine e = engine(Map.of());

        ValidateDataResult ok = roundTrips(e.validateData(new ValidateDataRequest("mlops.yaml")));
        assertThat(ok.passed()).isTrue();
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.report().counts().fail()).isZero();
        assertThat(Path.of(ok.reports().junitXml())).isEqualTo(dir.resolve("out/reports/data.junit.xml")).exists();

        ValidateDataResult bad = roundTrips(e.validateData(new ValidateDataRequest("mlops.yaml")
                .withOverrides(List.of("data.schema.mean_radius.max=10")).withOut("elsewhere")));
        assertThat(bad.passed()).isFalse();
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.report().failures()).extracting(Report.Row::subject).contains("mean_radius");
        assertThat(dir.resolve("elsewhere/reports/data.md")).exists();
    }

    @Test
    void trainRunsTheDataChecksFirstAndTrainsNothingWhenTheyFail() throws Exception {
        Example.copy(dir);
        Engine e = engine(Map.of());

        TrainResult r = roundTrips(e.train(new TrainRequest("mlops.yaml")
                .withOverrides(List.of("data.schema.mean_radius.max=10"))));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.model()).isNull();
        assertThat(r.runId()).isNull();
        assertThat(r.dataChecks().passed()).isFalse();
        assertThat(Path.of(r.dataChecks().reports().markdown())).exists();
        assertThat(r.dataChecks().report().failures()).extracting(Report.Row::subject).contains("mean_radius");
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        assertThat(dir.resolve("mlruns")).as("no tracking store created").doesNotExist();
        assertThat(Json.MAPPER.readValue(dir.resolve("out/train.json").toFile(), TrainResult.class)).isEqualTo(r);
        // register names the reason instead of registering a stale or missing model
        assertThatThrownBy(() -> e.register(new RegisterRequest("mlops.yaml")))
                .isInstanceOf(InputException.class).hasMessageContaining("data checks failed");
    }

    @Test
    void trainGateRegisterPromoteAsSeparateSteps() throws Exception {
        Example.copy(dir);
        Engine e = engine(Map.of("GIT_COMMIT", SHA, "BUILD_URL", "https://jenkins.example/job/7/"));

        TrainResult trained = roundTrips(e.train(new TrainRequest("mlops.yaml")));
        assertThat(trained.exitCode()).isZero();
        assertThat(trained.dataChecks().passed()).isTrue();
        assertThat(trained.dataChecks().report()).as("the passing report stays in its files").isNull();
        assertThat(trained.runId()).matches("[0-9a-f]{32}");
        assertThat(trained.runUrl()).as("local store: no UI link").isNull();
        assertThat(trained.modelSha256()).isEqualTo(ModelArtifact.sha256(dir.resolve("out/model.tribuo")));
        assertThat(trained.metrics()).containsKeys("accuracy", "f1_macro", "roc_auc");
        assertThat(trained.timingsMillis()).containsKeys("load", "checks", "search", "refit", "tracking");
        assertThat(Files.readString(dir.resolve("out/train.json"))).isEqualTo(Json.write(trained) + "\n");
        Path run = onlyRun();
        assertThat(Files.readString(run.resolve("tags/git_sha"))).isEqualTo(SHA);
        assertThat(Files.readString(run.resolve("tags/build_url"))).isEqualTo("https://jenkins.example/job/7/");

        GateResult gate = roundTrips(e.gate(new GateRequest("mlops.yaml")));
        assertThat(gate.passed()).isTrue();
        assertThat(gate.baseline()).isNull();
        assertThat(gate.failures()).isEmpty();
        assertThat(Path.of(gate.reports().json())).isEqualTo(dir.resolve("out/reports/gate.json")).exists();
        GateResult strict = roundTrips(e.gate(new GateRequest("mlops.yaml")
                .withOverrides(List.of("gate.metrics.roc_auc.min=1.0001"))));
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.failures()).extracting(GateFailure::subject).containsExactly("roc_auc");

        RegisterResult reg = roundTrips(e.register(new RegisterRequest("mlops.yaml")));
        assertThat(reg).isEqualTo(new RegisterResult("breast-cancer-classifier", "1", "candidate", trained.runId(),
                trained.modelSha256(), 0));

        PromoteResult promoted = roundTrips(e.promote(new PromoteRequest("mlops.yaml", "production").withFromAlias("candidate")));
        assertThat(promoted).isEqualTo(new PromoteResult("breast-cancer-classifier", "production", "1", null, 0));
        PromoteResult again = e.promote(new PromoteRequest("mlops.yaml", "production").withVersion("1"));
        assertThat(again.previousVersion()).isEqualTo("1");

        GateResult pinned = roundTrips(e.gate(new GateRequest("mlops.yaml").withBaselineVersion("1")));
        assertThat(pinned.baseline()).contains("v1 (pinned");
        GateResult byAlias = e.gate(new GateRequest("mlops.yaml"));
        assertThat(byAlias.baseline()).contains("v1 (@production");
        assertThat(byAlias.report().context().get("baseline")).contains("@production");
    }

    @Test
    void promoteNeedsExactlyOneSource() {
        Example.copy(dir);
        Engine e = engine(Map.of());
        assertThatThrownBy(() -> e.promote(new PromoteRequest("mlops.yaml", "production")))
                .isInstanceOf(InputException.class).hasMessageContaining("exactly one of");
        assertThatThrownBy(() -> e.promote(new PromoteRequest("mlops.yaml", " ").withVersion("1")))
                .isInstanceOf(InputException.class).hasMessageContaining("alias");
    }

    @Test
    void runRegistersACandidateAndWritesRunJsonAsTheResult() throws Exception {
        Example.copy(dir);
        RunResult r = roundTrips(engine(Map.of()).run(new RunRequest("mlops.yaml").withGitSha(SHA)));

        assertThat(r.stage()).isEqualTo(RunResult.Stage.REGISTERED);
        assertThat(r.passed()).isTrue();
        assertThat(r.exitCode()).isZero();
        assertThat(r.modelVersion().version()).isEqualTo("1");
        assertThat(r.modelVersion().aliases()).contains("candidate");
        assertThat(r.dataChecksPassed()).isTrue();
        assertThat(r.gatePassed()).isTrue();
        assertThat(r.gateFailures()).isEmpty();
        assertThat(Path.of(r.reports().gate().junitXml())).exists();
        assertThat(Path.of(r.reports().data().markdown())).exists();
        assertThat(r.gateReport().context().get("baseline")).contains("none");
        assertThat(r.dataReport()).isNull();
        assertThat(Files.readString(dir.resolve("out/run.json"))).isEqualTo(Json.write(r) + "\n");
        assertThat(Files.readString(onlyRun().resolve("tags/git_sha"))).isEqualTo(SHA);
    }

    @Test
    void failedGateIsAResultWithItsFailuresAndRegistersNothing() throws Exception {
        Example.copy(dir);
        RunResult r = roundTrips(engine(Map.of()).run(new RunRequest("mlops.yaml")
                .withOverrides(List.of("gate.metrics.accuracy.min=0.9999"))));

        assertThat(r.stage()).isEqualTo(RunResult.Stage.GATE);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.modelVersion()).isNull();
        assertThat(r.gateFailures()).extracting(GateFailure::subject).contains("accuracy");
        assertThat(dir.resolve("mlruns/models/breast-cancer-classifier")).doesNotExist();
    }

    @Test
    void dataThatFailsItsChecksStopsTheRunBeforeTraining() throws Exception {
        Example.copy(dir);
        RunResult r = roundTrips(engine(Map.of()).run(new RunRequest("mlops.yaml")
                .withOverrides(List.of("data.schema.mean_radius.max=10"))));

        assertThat(r.stage()).isEqualTo(RunResult.Stage.DATA);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.reports().gate()).isNull();
        assertThat(r.dataReport().passed()).isFalse();
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        JsonNode summary = Json.MAPPER.readTree(dir.resolve("out/run.json").toFile());
        assertThat(summary.path("stage").asText()).isEqualTo("DATA");
    }

    @Test
    void aTrackingServerGivesTheRunsUiLinkAndTheGitHubBuildUrl() throws Exception {
        Example.copy(dir);
        try (MlflowTestServer server = MlflowTestServer.start()) {
            Map<String, String> github = Map.of("GITHUB_SHA", SHA, "GITHUB_SERVER_URL", "https://github.example",
                    "GITHUB_REPOSITORY", "acme/cancer", "GITHUB_RUN_ID", "99", "GITHUB_ACTOR", "octo");
            TrainResult r = roundTrips(engine(github).train(new TrainRequest("mlops.yaml").withTrackingUri(server.uri())));

            var create = server.requests("POST", "/api/2.0/mlflow/runs/create").get(0).json();
            String experiment = create.path("experiment_id").asText();
            assertThat(r.runUrl()).isEqualTo(server.uri() + "/#/experiments/" + experiment + "/runs/" + r.runId());
            assertThat(create.path("tags").toString()).contains(SHA).contains("https://github.example/acme/cancer/actions/runs/99")
                    .contains("octo");
            assertThat(dir.resolve("mlruns")).doesNotExist();
        }
    }

    private Path onlyRun() throws Exception {
        try (var exps = Files.list(dir.resolve("mlruns"))) {
            for (Path e : exps.filter(Files::isDirectory).toList()) {
                if (e.getFileName().toString().matches("[1-9]\\d*")) {
                    try (var runs = Files.list(e)) {
                        return runs.filter(Files::isDirectory).findFirst().orElseThrow();
                    }
                }
            }
        }
        throw new AssertionError("no run under " + dir.resolve("mlruns"));
    }
}
