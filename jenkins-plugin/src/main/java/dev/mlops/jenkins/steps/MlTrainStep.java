package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.ResultMaps;
import dev.mlops.jenkins.actions.DataCheckAction;
import dev.mlops.jenkins.actions.MlopsAction;
import dev.mlops.jenkins.actions.TrainAction;
import hudson.AbortException;
import hudson.Extension;
import hudson.model.Run;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.Map;

/**
 * {@code mlTrain}: {@code mlops train}: data checks first, then grid search with cross-validation, the final fit and
 * the test-split evaluation, recorded in MLflow. Returns the TrainResult map: runId, runUrl, model, modelSha256,
 * algorithm, chosen, metrics, dataChecks, ... Failed data checks fail the step with where the report is.
 */
public class MlTrainStep extends TrackedStep {
    static final String FUNCTION = "mlTrain";
    private static final long serialVersionUID = 1L;

    private String out;
    private String gitSha;
    private boolean track = true;

    @DataBoundConstructor
    public MlTrainStep() {
    }

    public String getOut() {
        return out;
    }

    /** {@code --out}: output folder inside the workspace (default out/ next to the spec). */
    @DataBoundSetter
    public void setOut(String out) {
        this.out = Params.trim(out);
    }

    public String getGitSha() {
        return gitSha;
    }

    /** {@code --git-sha} (default GIT_COMMIT of the build). */
    @DataBoundSetter
    public void setGitSha(String gitSha) {
        this.gitSha = Params.trim(gitSha);
    }

    public boolean isTrack() {
        return track;
    }

    /** false = {@code --no-track}: do not record the run in the tracking store. */
    @DataBoundSetter
    public void setTrack(boolean track) {
        this.track = track;
    }

    @Override
    Map<String, Object> run(StepContext context) throws Exception {
        CliCall call = call(FUNCTION, "train")
                .path("out", "--out", out, false)
                .option("--git-sha", gitSha)
                .flag("--no-track", !track);
        CliOutcome outcome = StepRunner.run(context, call);
        Map<String, Object> result = outcome.result();
        if (outcome.failedCheck()) {
            Map<String, Object> checks = ResultMaps.map(result, "dataChecks");
            MlopsAction.attach(context.get(Run.class), new DataCheckAction(checks));
            throw new AbortException(FUNCTION + ": data checks failed, nothing was trained: " + String.join("; ",
                    Violations.reasons(ResultMaps.rows(checks, "report", "checks"), true)));
        }
        MlopsAction.attach(context.get(Run.class), new TrainAction(result));
        return result;
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "mlops: train and evaluate a model");
        }
    }
}
