package dev.mlops.jenkins.steps;

import hudson.AbortException;
import hudson.FilePath;
import org.kohsuke.stapler.DataBoundSetter;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What every mlops step takes: the spec in the workspace (the default source of truth, {@code -f}) and overrides of
 * its values ({@code set: ['model.seed=7']}, exactly {@code --set}). Optional properties start at their defaults so
 * the Snippet Generator leaves them out.
 */
public abstract class MlopsStep extends Step implements Serializable {
    public static final String DEFAULT_SPEC = "mlops.yaml";
    private static final long serialVersionUID = 1L;

    private String spec = DEFAULT_SPEC;
    private List<String> set = new ArrayList<>();

    public String getSpec() {
        return spec;
    }

    @DataBoundSetter
    public void setSpec(String spec) {
        this.spec = Params.orDefault(Params.trim(spec), DEFAULT_SPEC);
    }

    public List<String> getSet() {
        return set;
    }

    @DataBoundSetter
    public void setSet(List<String> set) {
        this.set = Params.list(set);
    }

    /** The overrides one per line, for the form's text area (config.jelly). */
    public String getSetText() {
        return String.join("\n", set);
    }

    @Override
    public final StepExecution start(StepContext context) {
        return new MlopsExecution(this, context);
    }

    /**
     * The step's work, off the CPS thread, re-reading its context: build the call, run it, turn the outcome into the
     * returned map, an action and the build result.
     */
    abstract Map<String, Object> run(StepContext context) throws Exception;

    /** The call every step starts from: {@code -f spec --set ...}. */
    CliCall call(String function, String command) throws AbortException {
        return new CliCall(function, command).spec(spec).set(set);
    }

    /** The result plus {@code junitXml}: the report's path relative to the workspace, as the junit step wants it. */
    static Map<String, Object> withJunitPath(Map<String, Object> result, FilePath workspace) {
        Object xml = dev.mlops.jenkins.ResultMaps.at(result, "reports", "junitXml");
        if (xml != null) {
            String ws = workspace.getRemote();
            String path = String.valueOf(xml);
            for (String sep : new String[] {"/", "\\"}) {
                if (path.startsWith(ws + sep)) {
                    path = path.substring(ws.length() + 1).replace('\\', '/');
                    break;
                }
            }
            result.put("junitXml", path);
        }
        return result;
    }
}
