package dev.mlops.jenkins.config;

import dev.mlops.jenkins.steps.BlueGreenDeployStep;
import dev.mlops.jenkins.steps.MlGateStep;
import dev.mlops.jenkins.steps.MlRollbackStep;
import dev.mlops.jenkins.steps.MlTrainStep;
import hudson.util.FormValidation;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The Snippet Generator's field checks (doCheck...), through the descriptors a user's browser calls. */
class FormChecksTest {
    @Test
    void specMustBeAWorkspacePath() {
        var d = new MlTrainStep.DescriptorImpl();
        assertThat(d.doCheckSpec("mlops.yaml").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckSpec("").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckSpec("/etc/mlops.yaml").getMessage()).isEqualTo("Must be relative to the workspace, not an absolute path");
        assertThat(d.doCheckSpec("../x/mlops.yaml").getMessage()).isEqualTo("Must stay inside the workspace (no leading ..)");
        assertThat(d.doCheckOut("a/../../b").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void trackingUriIsAFolderOrAServerWithoutCredentials() {
        var d = new MlGateStep.DescriptorImpl();
        assertThat(d.doCheckTrackingUri("mlruns").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckTrackingUri("https://mlflow.example:5000").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(d.doCheckTrackingUri("https://u:p@mlflow.example").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(d.doCheckTrackingUri("ftp://mlflow.example").getMessage()).contains("not ftp:");
        assertThat(new MlopsGlobalConfiguration().doCheckTrackingUri("https://u:p@x").kind).isEqualTo(FormValidation.Kind.ERROR);
    }

    @Test
    void releaseFields() {
        var deploy = new BlueGreenDeployStep.DescriptorImpl();
        assertThat(deploy.doCheckModelVersion("").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(deploy.doCheckModelVersion("3").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(deploy.doCheckModelVersion("latest").kind).isEqualTo(FormValidation.Kind.WARNING);
        assertThat(deploy.doCheckEnvironment("prod").getMessage()).isEqualTo("One of production, staging");
        assertThat(deploy.doFillEnvironmentItems()).extracting(o -> o.value).containsExactly("production", "staging");
        var rollback = new MlRollbackStep.DescriptorImpl();
        assertThat(rollback.doCheckTo("r20261201-1-ab").kind).isEqualTo(FormValidation.Kind.OK);
        assertThat(rollback.doCheckTo("two words").kind).isEqualTo(FormValidation.Kind.ERROR);
        assertThat(new MlGateStep.DescriptorImpl().doFillOnViolationItems()).extracting(o -> o.value)
                .containsExactly("fail", "unstable", "ignore");
    }

    @Test
    void descriptorsNameTheirStepsAndNeedANode() {
        assertThat(new MlTrainStep.DescriptorImpl().getFunctionName()).isEqualTo("mlTrain");
        java.util.Set<? extends Class<?>> context = new BlueGreenDeployStep.DescriptorImpl().getRequiredContext();
        assertThat(context.contains(hudson.FilePath.class) && context.contains(hudson.Launcher.class)
                && context.contains(hudson.model.Run.class)).isTrue();
    }
}
