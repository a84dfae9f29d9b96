package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.actions.CheckRow;
import dev.mlops.jenkins.actions.DataCheckAction;
import dev.mlops.jenkins.actions.GateAction;
import dev.mlops.jenkins.actions.RegisterAction;
import dev.mlops.jenkins.actions.TrainAction;
import dev.mlops.jenkins.testing.StepHarness;
import hudson.model.Result;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.mlops.jenkins.testing.StepAssertions.oneLineFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * mlValidateData, mlTrain, mlGate and mlRegister run against the real mlops command line on the bundled example:
 * the returned maps, the build log, the run actions and what a failed check does to the build.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineStepsTest {
    @TempDir
    static Path tmp;
    StepHarness trained;
    Map<String, Object> train;

    @BeforeAll
    void trainOnce() throws Exception {
        trained = new StepHarness(tmp.resolve("trained"));
        train = trained.run(new MlTrainStep());
    }

    @Test
    void trainReturnsTheRunModelAndMetricsAndShowsThemOnTheBuild() {
        assertThat((String) train.get("runId")).matches("[0-9a-f]{32}");
        assertThat((String) train.get("modelSha256")).matches("[0-9a-f]{64}");
        assertThat(train.get("model")).isEqualTo(trained.workspace.resolve("out/model.tribuo").toString());
        assertThat(train).containsEntry("algorithm", "logistic").containsEntry("exitCode", 0);
        assertThat((Map<String, Object>) train.get("chosen")).containsKey("C");
        assertThat((Double) ((Map<?, ?>) train.get("metrics")).get("accuracy")).isGreaterThan(0.93);
        assertThat(((Map<?, ?>) train.get("dataChecks")).get("passed")).isEqualTo(true);

        assertThat(trained.log()).contains("[mlops] mlops train --json -f mlops.yaml")
                .contains("grid:").contains("chosen C=").contains("recorded run " + train.get("runId"));
        TrainAction a = trained.run.getAction(TrainAction.class);
        assertThat(a.getRunId()).isEqualTo(train.get("runId"));
        assertThat(a.getModelSha256()).isEqualTo(train.get("modelSha256"));
        // the figure is the trainer's (softmax L-BFGS since issue 8 §3.1), not this step's: only its form is checked
        assertThat(a.getKeyMetrics()).matches("accuracy 0\\.9\\d*, .*").contains("roc_auc");
        assertThat(a.getUrlName()).isEqualTo("mlops-train");
        assertThat(a.getRunUrl()).as("a folder store has no UI link").isNull();
    }

    @Test
    void validateDataPassesOnTheExampleAndPointsJunitAtItsReport() throws Exception {
        StepHarness h = new StepHarness(tmp.resolve("validate"));
        Map<String, Object> r = h.run(new MlValidateDataStep());
        assertThat(r).containsEntry("passed", true).containsEntry("junitXml", "out/reports/data.junit.xml");
        assertThat(h.workspace.resolve("out/reports/data.junit.xml")).isRegularFile();
        DataCheckAction a = h.run.getAction(DataCheckAction.class);
        assertThat(a.isPassed()).isTrue();
        assertThat(a.getTotal()).isGreaterThan(100).isEqualTo(a.getRows().size());
        assertThat(a.getFailedRows()).isEmpty();
        assertThat(h.log()).contains("[mlops] mlops validate-data --json -f mlops.yaml").contains("data checks: passed");
        assertThat(h.run.getResult()).isNull();
    }

    @Test
    void failedDataChecksFailTheStepWithTheFailingChecksOrMarkTheBuildUnstable() throws Exception {
        StepHarness h = new StepHarness(tmp.resolve("validate-fail"));
        MlValidateDataStep step = new MlValidateDataStep();
        step.setSet(List.of("data.checks.minRows=100000"));
        String m = oneLineFailure(catchThrowable(() -> h.run(step)), "mlValidateData");
        assertThat(m).contains("data checks failed").contains("569 rows");
        assertThat(h.run.getAction(DataCheckAction.class).getFailedRows()).extracting(CheckRow::getName)
                .containsExactly("row count");

        step.setOnViolation("unstable");
        Map<String, Object> r = h.run(step);
        assertThat(r).containsEntry("passed", false).containsEntry("exitCode", 1);
        assertThat(h.run.getResult()).isSameAs(Result.UNSTABLE);
        assertThat(h.log()).contains("[mlops] WARNING mlValidateData: data checks failed");
    }

    @Test
    void trainRefusesToTrainOnFailedDataAndShowsWhy() throws Exception {
        StepHarness h = new StepHarness(tmp.resolve("train-fail"));
        MlTrainStep step = new MlTrainStep();
        step.setSet(List.of("data.checks.minRows=100000"));
        String m = oneLineFailure(catchThrowable(() -> h.run(step)), "mlTrain");
        assertThat(m).contains("data checks failed, nothing was trained").contains("569 rows");
        assertThat(h.workspace.resolve("out/model.tribuo")).doesNotExist();
        assertThat(h.run.getAction(TrainAction.class)).isNull();
        assertThat(h.run.getAction(DataCheckAction.class).isPassed()).isFalse();
    }

    @Test
    void gatePassesAndPublishesEveryBoundWithItsVerdict() throws Exception {
        Map<String, Object> r = trained.run(new MlGateStep());
        assertThat(r).containsEntry("passed", true).containsEntry("junitXml", "out/reports/gate.junit.xml");
        assertThat((List<?>) r.get("failures")).isEmpty();
        assertThat(trained.workspace.resolve((String) r.get("junitXml"))).isRegularFile();
        GateAction a = trained.run.getActions(GateAction.class).get(0);
        assertThat(a.getRows()).extracting(CheckRow::getSubject)
                .contains("accuracy", "f1_macro", "roc_auc", "recall.malignant", "latency_p99_ms", "model_size_bytes");
        assertThat(a.getRows()).extracting(CheckRow::getVerdict).containsOnly("PASS", "SKIP");
        assertThat(a.getBaseline()).isNull();
    }

    @Test
    void failedGateFailsTheStepWithItsReasonsUnlessUnstableOrIgnore() throws Exception {
        StepHarness h = new StepHarness(tmp.resolve("gate"), trained.agentRoot);
        h.run(new MlTrainStep());
        MlGateStep step = new MlGateStep();
        step.setSet(List.of("gate.metrics.accuracy.min=0.999"));

        String m = oneLineFailure(catchThrowable(() -> h.run(step)), "mlGate");
        assertThat(m).matches("mlGate: gate failed: accuracy: accuracy 0\\.9\\d+ is below the minimum 0\\.999\\.");
        GateAction failed = h.run.getActions(GateAction.class).get(0);
        assertThat(failed.isPassed()).isFalse();
        assertThat(failed.getFailedRows()).extracting(CheckRow::getSubject).containsExactly("accuracy");
        assertThat(h.workspace.resolve("out/reports/gate.junit.xml")).isRegularFile();
        assertThat(h.run.getResult()).isNull();

        step.setOnViolation("ignore");
        assertThat(h.run(step)).containsEntry("passed", false);
        assertThat(h.run.getResult()).as("ignore leaves the build alone").isNull();
        assertThat(h.log()).contains("(onViolation: ignore)");

        step.setOnViolation("unstable");
        assertThat(h.run(step)).containsEntry("passed", false).containsEntry("exitCode", 1);
        assertThat(h.run.getResult()).isSameAs(Result.UNSTABLE);
        assertThat(h.run.getActions(GateAction.class)).hasSize(3);
        assertThat(h.run.getActions(GateAction.class)).extracting(GateAction::getUrlName)
                .containsExactly("mlops-gate", "mlops-gate-2", "mlops-gate-3");
    }

    @Test
    void registerMakesAVersionTheDeployCanTake() throws Exception {
        StepHarness h = new StepHarness(tmp.resolve("register"), trained.agentRoot);
        Map<String, Object> t = h.run(new MlTrainStep());
        Map<String, Object> r = h.run(new MlRegisterStep());
        assertThat(r).containsEntry("name", "breast-cancer-classifier").containsEntry("version", "1")
                .containsEntry("alias", "candidate").containsEntry("runId", t.get("runId"))
                .containsEntry("modelSha256", t.get("modelSha256"));
        RegisterAction a = h.run.getAction(RegisterAction.class);
        assertThat(a.getVersion()).isEqualTo("1");
        assertThat(Files.isDirectory(h.workspace.resolve("mlruns"))).isTrue();
        assertThat(h.log()).as("this agent already has the command line from an earlier build").doesNotContain("[mlops] installing");
    }

    @Test
    void anUnknownOnViolationIsRefusedBeforeAnythingRuns() {
        MlGateStep step = new MlGateStep();
        step.setOnViolation("warn");
        assertThatThrownBy(() -> trained.run(step)).hasMessage(
                "mlGate: onViolation 'warn' must be one of [fail, unstable, ignore]");
    }
}
