package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import dev.mlops.engine.model.ModelArtifact;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline's steps run one by one, as a CI job that splits them into stages would: train, gate, register, promote. */
class StepCommandsTest {
    @TempDir
    Path dir;

    @Test
    void trainGateRegisterPromoteAsSeparateSteps() throws Exception {
        Path spec = CliRun.copyExample(dir);

        CliRun train = CliRun.of("train", "-f", spec.toString(), "--json", "-q");
        assertThat(train.exitCode()).as(train.toString()).isZero();
        String runId = Json.MAPPER.readTree(train.out()).path("runId").asText();
        assertThat(runId).matches("[0-9a-f]{32}");
        // --json prints exactly the result, which is also what train.json holds
        assertThat(train.out()).isEqualTo(Files.readString(dir.resolve("out/train.json")));
        assertThat(Json.MAPPER.readTree(train.out()).path("dataChecks").path("passed").asBoolean()).isTrue();

        CliRun gate = CliRun.of("gate", "-f", spec.toString(), "--json", "-q");
        assertThat(gate.exitCode()).as(gate.toString()).isZero();
        assertThat(Json.MAPPER.readTree(gate.out()).path("passed").asBoolean()).isTrue();
        CliRun strict = CliRun.of("gate", "-f", spec.toString(), "-q", "--set", "gate.metrics.roc_auc.min=1.0001");
        assertThat(strict.exitCode()).isEqualTo(1);
        assertThat(strict.out()).contains("roc_auc").contains("FAIL");

        CliRun register = CliRun.of("register", "-f", spec.toString(), "--json", "-q");
        assertThat(register.exitCode()).as(register.toString()).isZero();
        JsonNode reg = Json.MAPPER.readTree(register.out());
        assertThat(reg.path("version").asText()).isEqualTo("1");
        assertThat(reg.path("runId").asText()).isEqualTo(runId);
        // The version is tagged with the checksum of the model the run logged, which is the file train wrote.
        assertThat(reg.path("modelSha256").asText()).isEqualTo(ModelArtifact.sha256(dir.resolve("out/model.tribuo")));

        CliRun promote = CliRun.of("promote", "-f", spec.toString(), "--alias", "production", "--version", "1", "-q");
        assertThat(promote.exitCode()).as(promote.toString()).isZero();
        assertThat(Files.readString(dir.resolve("mlruns/models/breast-cancer-classifier/aliases/production")).trim()).isEqualTo("1");

        CliRun pinned = CliRun.of("gate", "-f", spec.toString(), "--baseline-version", "1", "--json", "-q");
        assertThat(pinned.exitCode()).as(pinned.toString()).isZero();
        assertThat(Json.MAPPER.readTree(pinned.out()).path("baseline").asText()).contains("v1 (pinned");
        assertThat(Json.MAPPER.readTree(pinned.out()).path("report").path("context").path("baseline").asText()).contains("v1 (pinned");
    }

    @Test
    void trainRunsTheDataChecksFirstAndTrainsNothingWhenTheyFail() throws Exception {
        Path spec = CliRun.copyExample(dir);

        CliRun r = CliRun.of("train", "-f", spec.toString(), "--set", "data.schema.mean_radius.max=10");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("mean_radius").contains("FAIL").contains("nothing trained");
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        assertThat(dir.resolve("out/reports/data.junit.xml")).exists();
        assertThat(dir.resolve("mlruns")).doesNotExist();
    }

    @Test
    void registeringAnUntrackedTrainingSaysHowToFixIt() {
        Path spec = CliRun.copyExample(dir);
        assertThat(CliRun.of("train", "-f", spec.toString(), "--no-track", "-q").exitCode()).isZero();

        CliRun r = CliRun.of("register", "-f", spec.toString());

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("the training was not tracked (--no-track); pass --run-id");
    }

    @Test
    void smokeAgreementOutOfRangeIsAnInputErrorNotABug() {
        CliRun r = CliRun.of("deploy", "--app", "x", "--model-name", "m", "--model-version", "1", "--min-agreement", "2",
                "--state-dir", dir.resolve("state").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("minAgreement must be in [0, 1]").doesNotContain("bug");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void trainingTwiceGivesByteIdenticalModelAndMetrics() throws Exception {
        // issue 8 §3.6: the model's SHA-256 is the server's default model version; an identical build must keep it
        Path spec = CliRun.copyExample(dir);
        for (String out : new String[] {"a", "b"}) {
            assertThat(CliRun.of("train", "-f", spec.toString(), "--no-track", "-q", "--out",
                    dir.resolve(out).toString()).exitCode()).isZero();
        }
        for (String f : new String[] {"model.tribuo", "metrics.json"}) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(f))).as(f)
                    .isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(f)));
        }
    }
}
