package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.ResultMaps;
import dev.mlops.jenkins.actions.DataCheckAction;
import dev.mlops.jenkins.actions.MlopsAction;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.util.ListBoxModel;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.Map;

/**
 * {@code mlValidateData}: {@code mlops validate-data}: schema, nulls, duplicates, label balance, drift. Returns the
 * ValidateDataResult map (passed, report, reports) plus {@code junitXml} for the junit step.
 */
public class MlValidateDataStep extends MlopsStep {
    static final String FUNCTION = "mlValidateData";
    private static final long serialVersionUID = 1L;

    private String out;
    private String onViolation = Violations.FAIL;

    @DataBoundConstructor
    public MlValidateDataStep() {
    }

    public String getOut() {
        return out;
    }

    /** {@code --out}: output folder inside the workspace (default out/ next to the spec). */
    @DataBoundSetter
    public void setOut(String out) {
        this.out = Params.trim(out);
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
        CliCall call = call(FUNCTION, "validate-data").path("out", "--out", out, false);
        CliOutcome outcome = StepRunner.run(context, call);
        Map<String, Object> result = withJunitPath(outcome.result(), context.get(FilePath.class));
        MlopsAction.attach(context.get(Run.class), new DataCheckAction(result));
        if (outcome.failedCheck()) {
            Violations.apply(context, FUNCTION, policy, "data checks failed",
                    Violations.reasons(ResultMaps.rows(result, "report", "checks"), true));
        }
        return result;
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "mlops: check the training data");
        }

        public ListBoxModel doFillOnViolationItems() {
            return choices(Violations.CHOICES);
        }
    }
}
