package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.config.FormChecks;
import hudson.Extension;
import hudson.util.FormValidation;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

import java.util.Map;

/**
 * {@code blueGreenDeploy}: {@code mlops deploy}: start the idle color with the model version, smoke-test it, switch
 * traffic in one write, verify, keep the old color warm, move the alias, record the release. Returns the
 * ReleaseResult map (release{id, color, modelVersion, image, outcome, ...}, target, trafficOn). Aborting the build
 * stops the deploy and runs {@code mlops abort}, which puts traffic back on the stable color.
 */
public class BlueGreenDeployStep extends ReleaseStep {
    static final String FUNCTION = "blueGreenDeploy";
    private static final long serialVersionUID = 1L;

    private final String modelVersion;
    private String modelName;
    private String modelRef;
    private String image;
    private String gitSha;

    @DataBoundConstructor
    public BlueGreenDeployStep(String modelVersion) {
        this.modelVersion = Params.trim(modelVersion);
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public String getModelName() {
        return modelName;
    }

    /** {@code --model-name} (default tracking.registeredModel of the spec). */
    @DataBoundSetter
    public void setModelName(String modelName) {
        this.modelName = Params.trim(modelName);
    }

    public String getModelRef() {
        return modelRef;
    }

    /** {@code --model-ref}: where the server loads the model (default models:/name/version). */
    @DataBoundSetter
    public void setModelRef(String modelRef) {
        this.modelRef = Params.trim(modelRef);
    }

    public String getImage() {
        return image;
    }

    /** {@code --image} (default deploy.image of the spec, tagged with the git SHA). */
    @DataBoundSetter
    public void setImage(String image) {
        this.image = Params.trim(image);
    }

    public String getGitSha() {
        return gitSha;
    }

    /** {@code --git-sha} (default GIT_COMMIT of the build). */
    @DataBoundSetter
    public void setGitSha(String gitSha) {
        this.gitSha = Params.trim(gitSha);
    }

    @Override
    Map<String, Object> run(StepContext context) throws Exception {
        if (modelVersion == null) {
            throw new hudson.AbortException(FUNCTION + ": modelVersion is required (the registered version to deploy)");
        }
        CliCall call = releaseCall(FUNCTION, "deploy")
                .option("--model-version", modelVersion)
                .option("--model-name", modelName)
                .option("--model-ref", modelRef)
                .option("--image", image)
                .option("--git-sha", gitSha);
        return finish(context, FUNCTION, StepRunner.run(context, call));
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends ReleaseStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "mlops: blue-green deploy a model version");
        }

        public FormValidation doCheckModelVersion(@QueryParameter String value) {
            return FormChecks.modelVersion(value, true);
        }
    }
}
