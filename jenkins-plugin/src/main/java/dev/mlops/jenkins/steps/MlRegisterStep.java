package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.actions.MlopsAction;
import dev.mlops.jenkins.actions.RegisterAction;
import hudson.Extension;
import hudson.model.Run;
import org.jenkinsci.Symbol;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundConstructor;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.Map;

/**
 * {@code mlRegister}: {@code mlops register}: the trained run's model becomes a new version of the registered model,
 * with an alias (default candidate). Returns the RegisterResult map: name, version, alias, runId, modelSha256; the
 * version is what blueGreenDeploy takes.
 */
public class MlRegisterStep extends TrackedStep {
    static final String FUNCTION = "mlRegister";
    static final String DEFAULT_ALIAS = "candidate";
    private static final long serialVersionUID = 1L;

    private String out;
    private String runId;
    private String alias = DEFAULT_ALIAS;

    @DataBoundConstructor
    public MlRegisterStep() {
    }

    public String getOut() {
        return out;
    }

    /** {@code --out}: where train wrote train.json (default out/ next to the spec). */
    @DataBoundSetter
    public void setOut(String out) {
        this.out = Params.trim(out);
    }

    public String getRunId() {
        return runId;
    }

    /** {@code --run-id} (default: the run in OUT/train.json). */
    @DataBoundSetter
    public void setRunId(String runId) {
        this.runId = Params.trim(runId);
    }

    public String getAlias() {
        return alias;
    }

    /** {@code --alias} (default candidate). */
    @DataBoundSetter
    public void setAlias(String alias) {
        this.alias = Params.orDefault(Params.trim(alias), DEFAULT_ALIAS);
    }

    @Override
    Map<String, Object> run(StepContext context) throws Exception {
        CliCall call = call(FUNCTION, "register")
                .path("out", "--out", out, false)
                .option("--run-id", runId)
                .option("--alias", alias);
        Map<String, Object> result = StepRunner.run(context, call).result();
        MlopsAction.attach(context.get(Run.class), new RegisterAction(result));
        return result;
    }

    @Extension
    @Symbol(FUNCTION)
    public static final class DescriptorImpl extends MlopsStepDescriptor {
        public DescriptorImpl() {
            super(FUNCTION, "mlops: register the trained model");
        }
    }
}
