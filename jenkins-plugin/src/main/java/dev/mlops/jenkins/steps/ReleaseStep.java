package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.ResultMaps;
import dev.mlops.jenkins.actions.MlopsAction;
import dev.mlops.jenkins.actions.ReleaseAction;
import dev.mlops.jenkins.config.MlopsGlobalConfiguration;
import hudson.AbortException;
import hudson.model.Run;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.kohsuke.stapler.DataBoundSetter;

import java.util.List;
import java.util.Map;

/**
 * What blueGreenDeploy and mlRollback share: which environment ({@code --environment}: production or staging), where it
 * runs (the spec's deploy section; {@code app}, {@code target}, {@code namespace} override it), the kubeconfig
 * (Secret file; default the global setting), and what a failed release does ({@code propagate}: fail the step, the
 * default, or return the release record so the Jenkinsfile decides).
 */
public abstract class ReleaseStep extends TrackedStep {
    static final String PRODUCTION = "production";
    static final String STAGING = "staging";
    static final List<String> ENVIRONMENTS = List.of(PRODUCTION, STAGING);
    private static final long serialVersionUID = 1L;

    private String environment = PRODUCTION;
    private String app;
    private String target;
    private String namespace;
    private String kubeconfigCredentialsId;
    private boolean propagate = true;

    public String getEnvironment() {
        return environment;
    }

    @DataBoundSetter
    public void setEnvironment(String environment) {
        this.environment = Params.orDefault(Params.trim(environment), PRODUCTION);
    }

    public String getApp() {
        return app;
    }

    /** {@code --app} (default deploy.app of the spec). */
    @DataBoundSetter
    public void setApp(String app) {
        this.app = Params.trim(app);
    }

    public String getTarget() {
        return target;
    }

    /** {@code --target}: local or kubernetes (default deploy.target of the spec). */
    @DataBoundSetter
    public void setTarget(String target) {
        this.target = Params.trim(target);
    }

    public String getNamespace() {
        return namespace;
    }

    /** {@code --namespace} (default deploy.namespace, or deploy.stagingNamespace for staging). */
    @DataBoundSetter
    public void setNamespace(String namespace) {
        this.namespace = Params.trim(namespace);
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        this.kubeconfigCredentialsId = Params.trim(kubeconfigCredentialsId);
    }

    public boolean isPropagate() {
        return propagate;
    }

    @DataBoundSetter
    public void setPropagate(boolean propagate) {
        this.propagate = propagate;
    }

    /** {@code mlops <command>} for this environment and target, with the abort that undoes it when the build stops. */
    CliCall releaseCall(String function, String command) throws AbortException {
        if (!ENVIRONMENTS.contains(environment)) {
            throw new AbortException(function + ": environment '" + environment + "' must be one of " + ENVIRONMENTS);
        }
        String kube = Params.orDefault(kubeconfigCredentialsId, MlopsGlobalConfiguration.get().getKubeconfigCredentialsId());
        // A local target's model servers and proxy must outlive the build: Jenkins kills, at the end of a build,
        // every process carrying its cookie, unless the cookie says otherwise. Aborting still kills the child's tree.
        CliCall call = where(call(function, command)).env("JENKINS_NODE_COOKIE", "dontKillMe");
        call.credentials(call.mlflowCredentialsId(), kube);
        // The abort names the same app and target; it needs no registry, only the lock and the two colors.
        return call.onAbort(where(new CliCall(function, "abort").spec(getSpec()).set(getSet())));
    }

    private CliCall where(CliCall c) {
        return c.option("--environment", environment)
                .option("--app", app)
                .option("--target", target)
                .option("--namespace", namespace);
    }

    /** Records the release on the build; a failed one fails the step with the engine's reason unless propagate is off. */
    Map<String, Object> finish(StepContext ctx, String function, CliOutcome outcome) throws Exception {
        Map<String, Object> result = outcome.result();
        MlopsAction.attach(ctx.get(Run.class), new ReleaseAction(result));
        if (outcome.failedCheck()) {
            String line = function + ": " + describe(result);
            if (propagate) {
                throw new AbortException(line);
            }
            ctx.get(TaskListener.class).getLogger().println("[mlops] " + line + " (propagate: false)");
        }
        return result;
    }

    /** "production release r-7 (breast-cancer v3 on green) FAILED: smoke test ...; traffic is on blue" */
    static String describe(Map<String, Object> result) {
        String traffic = ResultMaps.str(result, "trafficOn");
        return ResultMaps.str(result, "release", "environment") + " " + ResultMaps.str(result, "release", "kind")
                + " " + ResultMaps.str(result, "release", "id") + " (" + ResultMaps.str(result, "release", "modelName")
                + " v" + ResultMaps.str(result, "release", "modelVersion") + " on "
                + ResultMaps.str(result, "release", "color") + ") " + ResultMaps.str(result, "release", "outcome")
                + ": " + ResultMaps.str(result, "release", "reason")
                + "; traffic is on " + (traffic == null ? "no color (nothing serves)" : traffic);
    }
}
