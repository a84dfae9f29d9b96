package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.ResultMaps;
import dev.mlops.jenkins.actions.DataCheckAction;
import dev.mlops.jenkins.actions.MlopsAction;
import dev.mlops.jenkins.config.FormChecks;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.FilePath;
import hudson.model.Run;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

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
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    private static final class Execution extends MlopsExecution {
        private static final long serialVersionUID = 1L;
        private final transient MlValidateDataStep step;

        Execution(MlValidateDataStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        Map<String, Object> execute() throws Exception {
            String onViolation = Violations.check(FUNCTION, step.onViolation);
            CliCall call = step.call(FUNCTION, "validate-data").path("out", "--out", step.out, false);
            CliOutcome outcome = StepRunner.run(getContext(), call);
            Map<String, Object> result = withJunitPath(outcome.result(), getContext().get(FilePath.class));
            MlopsAction.attach(getContext().get(Run.class), new DataCheckAction(result));
            if (outcome.failedCheck()) {
                Violations.apply(getContext(), FUNCTION, onViolation, "data checks failed",
                        Violations.reasons(ResultMaps.rows(result, "report", "checks"), true));
            }
            return result;
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "mlops: check the training data";
        }

        public FormValidation doCheckOut(@QueryParameter String value) {
            return FormChecks.workspacePath(value, false, "out");
        }

        public ListBoxModel doFillOnViolationItems() {
            return choices(Violations.CHOICES);
        }
    }
}
