package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.config.FormChecks;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.util.FormValidation;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;

import java.util.Map;

/**
 * {@code mlRollback}: {@code mlops rollback --to previous|<release id>|<model version>}: a selector flip when that
 * release still runs warm, otherwise a blue-green redeploy of it. Returns the ReleaseResult map of what it restored.
 */
public class MlRollbackStep extends ReleaseStep {
    static final String FUNCTION = "mlRollback";
    static final String PREVIOUS = "previous";
    private static final long serialVersionUID = 1L;

    private String to = PREVIOUS;

    @DataBoundConstructor
    public MlRollbackStep() {
    }

    public String getTo() {
        return to;
    }

    /** {@code --to}: previous (default), a release id from the ledger, or a model version. */
    @DataBoundSetter
    public void setTo(String to) {
        this.to = Params.orDefault(Params.trim(to), PREVIOUS);
    }

    @Override
    public StepExecution start(StepContext context) {
        return new Execution(this, context);
    }

    private static final class Execution extends MlopsExecution {
        private static final long serialVersionUID = 1L;
        private final transient MlRollbackStep step;

        Execution(MlRollbackStep step, StepContext context) {
            super(context);
            this.step = step;
        }

        @Override
        Map<String, Object> execute() throws Exception {
            CliCall call = step.releaseCall(FUNCTION, "rollback").option("--to", step.to);
            return step.finish(getContext(), FUNCTION, StepRunner.run(getContext(), call));
        }
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends ReleaseStepDescriptor {
        @Override
        public String getFunctionName() {
            return FUNCTION;
        }

        @NonNull
        @Override
        public String getDisplayName() {
            return "mlops: roll back a release";
        }

        public FormValidation doCheckTo(@QueryParameter String value) {
            return FormChecks.rollbackTo(value);
        }
    }
}
