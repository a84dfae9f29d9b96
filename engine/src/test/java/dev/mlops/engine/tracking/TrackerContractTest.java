package dev.mlops.engine.tracking;

import dev.mlops.engine.InputException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviour both backends share; each subclass supplies a fresh tracker. */
abstract class TrackerContractTest {
    @TempDir
    Path tmp;

    Tracker tracker;

    abstract Tracker newTracker() throws Exception;

    @BeforeEach
    void open() throws Exception {
        tracker = newTracker();
    }

    @AfterEach
    void closeTracker() {
        tracker.close();
    }

    @Test
    void runRoundTripsParamsLatestMetricsAndTags() {
        RunRef run = tracker.startRun("churn", "train-1", Map.of("git_sha", "abc123"));
        tracker.logParams(run.runId(), Map.of("C", "0.5", "algorithm", "logistic"));
        tracker.logMetrics(run.runId(), Map.of("f1", 0.5));
        tracker.logMetrics(run.runId(), Map.of("f1", 0.75, "accuracy", 0.9));
        tracker.setTags(run.runId(), Map.of("build_url", "https://ci/job/7"));

        RunInfo info = tracker.getRun(run.runId());
        assertThat(info.runId()).isEqualTo(run.runId());
        assertThat(info.experimentId()).isEqualTo(run.experimentId());
        assertThat(info.runName()).isEqualTo("train-1");
        assertThat(info.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(info.params()).containsExactlyInAnyOrderEntriesOf(Map.of("C", "0.5", "algorithm", "logistic"));
        assertThat(info.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("f1", 0.75, "accuracy", 0.9));
        assertThat(info.tags()).containsEntry("git_sha", "abc123").containsEntry("build_url", "https://ci/job/7")
                .containsEntry("mlflow.runName", "train-1");
        assertThat(info.artifactUri()).isEqualTo(run.artifactUri());

        tracker.endRun(run.runId(), RunStatus.FINISHED);
        assertThat(tracker.getRun(run.runId()).status()).isEqualTo(RunStatus.FINISHED);
    }

    @Test
    void secondRunReusesTheExperimentAndGetsItsOwnId() {
        RunRef a = tracker.startRun("churn", "a", Map.of());
        RunRef b = tracker.startRun("churn", "b", Map.of());
        RunRef other = tracker.startRun("fraud", "c", Map.of());
        assertThat(b.experimentId()).isEqualTo(a.experimentId());
        assertThat(b.runId()).isNotEqualTo(a.runId());
        assertThat(other.experimentId()).isNotEqualTo(a.experimentId());
    }

    @Test
    void paramsAreImmutableButRelogginTheSameValueIsFine() {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        tracker.logParams(run.runId(), Map.of("C", "0.5"));
        tracker.logParams(run.runId(), Map.of("C", "0.5"));
        assertThatThrownBy(() -> tracker.logParams(run.runId(), Map.of("C", "1.0")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("C");
        assertThat(tracker.getRun(run.runId()).params()).containsEntry("C", "0.5");
    }

    @Test
    void manyParamsAndTagsAllArrive() {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        Map<String, String> params = new LinkedHashMap<>();
        Map<String, Double> metrics = new LinkedHashMap<>();
        Map<String, String> tags = new LinkedHashMap<>();
        for (int i = 0; i < 250; i++) {
            params.put("p" + i, "v" + i);
            tags.put("t" + i, "x" + i);
        }
        for (int i = 0; i < 1200; i++) {
            metrics.put("m" + i, i / 10.0);
        }
        tracker.logParams(run.runId(), params);
        tracker.logMetrics(run.runId(), metrics);
        tracker.setTags(run.runId(), tags);
        RunInfo info = tracker.getRun(run.runId());
        assertThat(info.params()).containsAllEntriesOf(params).hasSize(250);
        assertThat(info.metrics()).containsAllEntriesOf(metrics).hasSize(1200);
        assertThat(info.tags()).containsAllEntriesOf(tags);
    }

    /** What an MLflow server refuses, the local store refuses too: as an input error, and nothing of the call lands. */
    @Test
    void keysMlflowRefusesAreInputErrorsAndNothingOfTheCallIsStored() {
        RunRef run = tracker.startRun("adult", "r", Map.of());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.8);
        metrics.put("f1.<=50K", 0.9);
        assertThatThrownBy(() -> tracker.logMetrics(run.runId(), metrics))
                .isInstanceOf(InputException.class).hasMessageContaining("f1.<=50K")
                .hasMessageContaining("Names may only contain");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("C", "1");
        params.put("../escape", "x");
        assertThatThrownBy(() -> tracker.logParams(run.runId(), params))
                .isInstanceOf(InputException.class).hasMessageContaining("../escape");
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("ok", "1");
        tags.put("a//b", "x");
        assertThatThrownBy(() -> tracker.setTags(run.runId(), tags))
                .isInstanceOf(InputException.class).hasMessageContaining("a//b");
        assertThatThrownBy(() -> tracker.logMetrics(run.runId(), Map.of("m".repeat(251), 1.0)))
                .isInstanceOf(InputException.class).hasMessageContaining("250");

        RunInfo info = tracker.getRun(run.runId());
        assertThat(info.metrics()).isEmpty();
        assertThat(info.params()).isEmpty();
        assertThat(info.tags()).doesNotContainKeys("ok", "a//b");

        // what MLflow 2.17 accepts, both take: spaces, colons, slashes, Unicode letters
        tracker.logMetrics(run.runId(), Map.of("f1.le50K", 0.9, "a b:c/d", 0.5, "f1.école", 0.7));
        assertThat(tracker.getRun(run.runId()).metrics()).containsOnlyKeys("f1.le50K", "a b:c/d", "f1.école");
    }

    @Test
    void artifactRoundTrip() throws Exception {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        Path model = Files.write(tmp.resolve("model.bin"), new byte[]{1, 2, 3, 0, (byte) 255});
        Path card = Files.writeString(tmp.resolve("card.md"), "# card\n");
        tracker.logArtifact(run.runId(), model, "model");
        tracker.logArtifact(run.runId(), card, "");

        Path out = Files.createDirectories(tmp.resolve("out"));
        Path got = tracker.downloadArtifact(run.runId(), "model/model.bin", out);
        assertThat(got).isEqualTo(out.resolve("model.bin"));
        assertThat(Files.readAllBytes(got)).containsExactly(1, 2, 3, 0, 255);
        assertThat(Files.readString(tracker.downloadArtifact(run.runId(), "card.md", out))).isEqualTo("# card\n");
    }

    @Test
    void missingArtifactIsInputError() {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        assertThatThrownBy(() -> tracker.downloadArtifact(run.runId(), "model/nope.bin", tmp))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("model/nope.bin").hasMessageContaining("does not exist");
    }

    @Test
    void unknownRunIsInputError() {
        assertThatThrownBy(() -> tracker.getRun("0123456789abcdef0123456789abcdef"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("0123456789abcdef0123456789abcdef");
    }

    @Test
    void versionsNumberFromOneAndPointAtTheRunArtifacts() {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        ModelVersion v1 = tracker.createModelVersion("churn-model", run.runId(), "model", Map.of(ModelVersion.SHA256_TAG, "ab12"));
        ModelVersion v2 = tracker.createModelVersion("churn-model", run.runId(), "model", Map.of());
        assertThat(v1.version()).isEqualTo("1");
        assertThat(v2.version()).isEqualTo("2");
        assertThat(v1.name()).isEqualTo("churn-model");
        assertThat(v1.runId()).isEqualTo(run.runId());
        assertThat(v1.source()).isEqualTo(run.artifactUri() + "/model");
        assertThat(v1.tags()).containsEntry(ModelVersion.SHA256_TAG, "ab12");
        assertThat(v1.aliases()).isEmpty();

        ModelVersion read = tracker.getModelVersion("churn-model", "1");
        assertThat(read.version()).isEqualTo("1");
        assertThat(read.source()).isEqualTo(v1.source());
        assertThat(read.tags()).containsEntry(ModelVersion.SHA256_TAG, "ab12");
    }

    @Test
    void aliasesMoveBetweenVersionsAndCanBeDeleted() {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        tracker.createModelVersion("m", run.runId(), "model", Map.of());
        tracker.createModelVersion("m", run.runId(), "model", Map.of());
        assertThat(tracker.findByAlias("m", "production")).isEmpty();

        tracker.setAlias("m", "production", "1");
        tracker.setAlias("m", "candidate", "2");
        assertThat(tracker.findByAlias("m", "production")).get().extracting(ModelVersion::version).isEqualTo("1");
        assertThat(tracker.getModelVersion("m", "1").aliases()).containsExactly("production");

        tracker.setAlias("m", "production", "2");
        assertThat(tracker.findByAlias("m", "production")).get().extracting(ModelVersion::version).isEqualTo("2");
        assertThat(tracker.getModelVersion("m", "1").aliases()).isEmpty();
        assertThat(tracker.getModelVersion("m", "2").aliases()).containsExactlyInAnyOrder("production", "candidate");

        tracker.deleteAlias("m", "production");
        assertThat(tracker.findByAlias("m", "production")).isEmpty();
        assertThat(tracker.findByAlias("m", "candidate")).isPresent();
    }

    @Test
    void registeredModelExistsOnlyAfterItsFirstVersion() {
        assertThat(tracker.registeredModelExists("first-release")).isFalse();
        RunRef run = tracker.startRun("churn", "r", Map.of());
        tracker.createModelVersion("first-release", run.runId(), "model", Map.of());
        assertThat(tracker.registeredModelExists("first-release")).isTrue();
        assertThat(tracker.registeredModelExists("other")).isFalse();
    }

    @Test
    void registeredModelThatDoesNotExistIsInputErrorNamingIt() {
        assertThatThrownBy(() -> tracker.getModelVersion("no-such-model", "1"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("registered model 'no-such-model' does not exist");
        assertThatThrownBy(() -> tracker.findByAlias("no-such-model", "production"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("registered model 'no-such-model' does not exist");
    }

    @Test
    void versionThatDoesNotExistIsInputErrorNamingIt() {
        RunRef run = tracker.startRun("churn", "r", Map.of());
        tracker.createModelVersion("m", run.runId(), "model", Map.of());
        assertThatThrownBy(() -> tracker.getModelVersion("m", "9"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("'m'").hasMessageContaining("'9'");
        assertThatThrownBy(() -> tracker.setAlias("m", "production", "9"))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("'9'");
        assertThat(tracker.findByAlias("m", "production")).isEmpty();
    }
}
