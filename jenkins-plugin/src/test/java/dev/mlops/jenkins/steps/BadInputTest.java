package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.testing.StepHarness;
import dev.mlops.jenkins.testing.TestCredentials;
import dev.mlops.jenkins.testing.TestJenkins;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

import static dev.mlops.jenkins.testing.StepAssertions.noStackTrace;
import static dev.mlops.jenkins.testing.StepAssertions.oneLineFailure;
import static dev.mlops.jenkins.testing.StepAssertions.snapshot;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The bad input: a spec outside the workspace, an unknown parameter or key, a credentials id that does not
 * exist or has the wrong type, a gate policy error. Each fails the step with one line naming the parameter or file,
 * no stack trace, nothing written to the workspace and nothing added to the build.
 */
class BadInputTest {
    @TempDir
    Path tmp;
    StepHarness h;
    TreeMap<String, String> before;

    @BeforeEach
    void setUp() throws Exception {
        h = new StepHarness(tmp);
        TestJenkins.add(TestCredentials.secretText("token", "t0k3n-value"));
        TestJenkins.add(TestCredentials.secretFile("kube", "config", "apiVersion: v1\n"));
        before = snapshot(h.workspace);
    }

    private String fails(Step step, String function) {
        String m = oneLineFailure(catchThrowable(() -> h.run(step)), function);
        noStackTrace(h.log());
        assertThat(snapshot(h.workspace)).as("nothing written to the workspace").isEqualTo(before);
        assertThat(h.run.actions()).as("nothing added to the build").isEmpty();
        return m;
    }

    private static MlTrainStep train(String spec) {
        MlTrainStep s = new MlTrainStep();
        s.setSpec(spec);
        return s;
    }

    @Test
    void aSpecOutsideTheWorkspaceIsRefusedByName() throws Exception {
        assertThat(fails(train("../other/mlops.yaml"), "mlTrain"))
                .startsWith("mlTrain: spec '../other/mlops.yaml' points outside the workspace");
        assertThat(fails(train("/etc/passwd"), "mlTrain"))
                .isEqualTo("mlTrain: spec '/etc/passwd' must be relative to the workspace, not an absolute path");
        Path outside = Files.writeString(tmp.resolve("elsewhere.yaml"), "name: x\n");
        Files.createSymbolicLink(h.workspace.resolve("link.yaml"), outside);
        before = snapshot(h.workspace);
        assertThat(fails(train("link.yaml"), "mlTrain"))
                .isEqualTo("mlTrain: spec 'link.yaml' leads outside the workspace through a symbolic link");
        assertThat(fails(train("missing.yaml"), "mlTrain")).startsWith("mlTrain: spec 'missing.yaml': no such file in the workspace");
    }

    @Test
    void anOutputFolderOrMetricsFileOutsideTheWorkspaceIsRefused() {
        MlGateStep gate = new MlGateStep();
        gate.setOut("../../out");
        gate.setMetrics("/tmp/metrics.json");
        assertThat(fails(gate, "mlGate")).startsWith("mlGate: out '../../out' points outside the workspace")
                .contains("; metrics '/tmp/metrics.json' must be relative to the workspace");
    }

    @Test
    void anUnknownSpecKeyInSetIsNamedWithTheFile() {
        MlTrainStep step = new MlTrainStep();
        step.setSet(List.of("model.bogus=1"));
        assertThat(fails(step, "mlTrain")).contains("mlops.yaml").contains("'model.bogus' is not a known key");
    }

    @Test
    void aSetEntryThatIsNotKeyValueIsRefusedBeforeAnythingRuns() {
        MlTrainStep step = new MlTrainStep();
        step.setSet(List.of("model.seed"));
        assertThat(fails(step, "mlTrain")).isEqualTo("mlTrain: set entry 'model.seed' is not key.path=value (e.g. 'model.seed=7')");
        assertThat(h.log()).doesNotContain("[mlops] mlops");
    }

    @Test
    void aGatePolicyErrorNamesTheFileLineAndKey() {
        MlGateStep step = new MlGateStep();
        step.setSet(List.of("gate.metrics.accurcy.min=0.9"));
        assertThat(fails(step, "mlGate")).matches("mlGate: .*mlops\\.yaml.*'gate\\.metrics\\.accurcy': unknown metric 'accurcy'.*");
    }

    @Test
    void aMissingCredentialsIdIsNamed() {
        MlTrainStep step = new MlTrainStep();
        step.setMlflowCredentialsId("nope");
        assertThat(fails(step, "mlTrain"))
                .isEqualTo("mlTrain: mlflowCredentialsId 'nope': no credentials with this id are available to this build");
    }

    @Test
    void aCredentialOfTheWrongKindIsNamedWithWhatWasExpected() {
        MlTrainStep train = new MlTrainStep();
        train.setMlflowCredentialsId("kube");
        assertThat(fails(train, "mlTrain")).isEqualTo(
                "mlTrain: mlflowCredentialsId 'kube' is a Secret file credential; expected Secret text or Username with password");
        BlueGreenDeployStep deploy = new BlueGreenDeployStep("1");
        deploy.setKubeconfigCredentialsId("token");
        assertThat(fails(deploy, "blueGreenDeploy")).isEqualTo(
                "blueGreenDeploy: kubeconfigCredentialsId 'token' is a Secret text credential; expected Secret file (a kubeconfig)");
    }

    @Test
    void aTrackingUriWithCredentialsInItIsRefusedWithoutEchoingThem() {
        MlTrainStep step = new MlTrainStep();
        step.setTrackingUri("https://bob:hunter2@mlflow.example");
        String m = fails(step, "mlTrain");
        assertThat(m).startsWith("mlTrain: trackingUri: Do not put credentials in the URI").doesNotContain("hunter2");
        assertThat(h.log()).doesNotContain("hunter2");
    }

    @Test
    void anUnknownEnvironmentOrAMissingModelVersionIsNamed() {
        BlueGreenDeployStep deploy = new BlueGreenDeployStep("1");
        deploy.setEnvironment("prod");
        assertThat(fails(deploy, "blueGreenDeploy"))
                .isEqualTo("blueGreenDeploy: environment 'prod' must be one of [production, staging]");
        assertThat(fails(new BlueGreenDeployStep(" "), "blueGreenDeploy"))
                .isEqualTo("blueGreenDeploy: modelVersion is required (the registered version to deploy)");
    }
}
