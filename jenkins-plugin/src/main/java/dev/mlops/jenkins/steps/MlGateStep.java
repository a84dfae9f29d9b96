package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.ResultMaps;
import dev.mlops.jenkins.actions.GateAction;
import dev.mlops.jenkins.actions.MlopsAction;
import dev.mlops.jenkins.config.FormChecks;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

import java.util.Map;

/**
 * {@code mlGate}: {@code mlops gate}: the candidate's metrics against the spec's policy and the model holding the
 * baseline alias. Returns the GateResult map (passed, failures, report, reports) plus {@code junitXml} for the junit
 * step. A failed gate fails the step with its reasons, unless {@code onViolation: 'unstable'} or {@code 'ignore'}.
 */
public class MlGateStep extends TrackedStep {
    static final String FUNCTION = "mlGate";
    private static final long serialVersionUID = 1L;

    private String out;
    private String metrics;
    private String baselineVersion;
    private String onViolation = Violations.FAIL;

    @DataBoundConstructor
    public MlGateStep() {
    }

    public String getOut() {
        return out;
    }

    /** {@code --out}: where train wrote, and where the gate reports go (default out/ next to the spec). */
    @DataBoundSetter
    public void setOut(String out) {
        this.out = Params.trim(out);
    }

    public String getMetrics() {
        return metrics;
    }

    /** {@code --metrics}: metrics.json of the candidate (default OUT/metrics.json). */
    @DataBoundSetter
    public void setMetrics(String metrics) {
        this.metrics = Params.trim(metrics);
    }

    public String getBaselineVersion() {
        return baselineVersion;
    }

    /** {@code --baseline-version}: compare with this registered version instead of the baseline alias's holder. */
    @DataBoundSetter
    public void setBaselineVersion(String baselineVersion) {
        this.baselineVersion = Params.trim(baselineVersion);
    }

    public String getOnViolation() {
        return onViolation;
    }

    /** fail (default), unstable or ignore. */
    @DataBoundSetter
    public void setOnViolation(String onViolation) {
        this.onViolation = Params.orDefault(Params.trim(onViolation), Violations.FAIL);
    }

    @Override
    Map<String, Object> run(StepContext context) throws Exception {
        String policy = Violations.check(FUNCTION, onViolation);
        CliCall call = call(FUNCTION, "gate")
                .path("out", "--out", out, false)
                .path("metrics", "--metrics", metrics, true)
                .option("--baseline-version", baselineVersion);
        CliOutcome outcome = StepRunner.run(context, call);
        Map<String, Object> result = withJunitPath(outcome.result(), context.get(FilePath.class));
        MlopsAction.attach(context.get(Run.class), new GateAction(result));
        if (outcome.failedCheck()) {
            Violations.apply(context, FUNCTION, policy, "gate failed",
                    Violations.reasons(ResultMaps.rows(result, "failures"), false));
        }
        return result;
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "mlops: gate the candidate model");
        }

        public FormValidation doCheckMetrics(@QueryParameter String value) {
            return FormChecks.workspacePath(value, false, "out/metrics.json");
        }

        public FormValidation doCheckBaselineVersion(@QueryParameter String value) {
            return FormChecks.modelVersion(value, false);
        }

        public ListBoxModel doFillOnViolationItems() {
            return choices(Violations.CHOICES);
        }
    }
}
