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
    Map<String, Object> run(StepContext context) throws Exception {
        CliCall call = releaseCall(FUNCTION, "rollback").option("--to", to);
        return finish(context, FUNCTION, StepRunner.run(context, call));
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends ReleaseStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "mlops: roll back a release");
        }

        public FormValidation doCheckTo(@QueryParameter String value) {
            return FormChecks.rollbackTo(value);
        }
    }
}
