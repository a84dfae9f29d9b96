package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.config.CredentialsListing;
import dev.mlops.jenkins.config.FormChecks;
import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Item;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.jenkinsci.plugins.workflow.steps.StepDescriptor;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

import java.util.List;
import java.util.Set;

/**
 * What the descriptors of all mlops steps share: they run inside {@code node} (a workspace and a launcher on an
 * agent), and the form checks and drop-downs of the common fields.
 */
public abstract class MlopsStepDescriptor extends StepDescriptor {
    private final String functionName;
    private final String displayName;

    /** The described step class is the enclosing class of the concrete DescriptorImpl, as Descriptor() infers it. */
    protected MlopsStepDescriptor(String functionName, String displayName) {
        this.functionName = functionName;
        this.displayName = displayName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return displayName;
    }

    @Override
    public Set<? extends Class<?>> getRequiredContext() {
        return Set.of(Run.class, TaskListener.class, FilePath.class, Launcher.class, EnvVars.class);
    }

    public FormValidation doCheckSpec(@QueryParameter String value) {
        return FormChecks.workspacePath(value, false, MlopsStep.DEFAULT_SPEC);
    }

    /** For the steps with an output folder ({@code out}); the others never ask. */
    public FormValidation doCheckOut(@QueryParameter String value) {
        return FormChecks.workspacePath(value, false, "out");
    }

    public FormValidation doCheckTrackingUri(@QueryParameter String value) {
        return FormChecks.trackingUri(value);
    }

    @POST
    public ListBoxModel doFillMlflowCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String mlflowCredentialsId) {
        return CredentialsListing.mlflow(item, mlflowCredentialsId);
    }

    static ListBoxModel choices(List<String> values) {
        ListBoxModel m = new ListBoxModel();
        for (String v : values) {
            m.add(v);
        }
        return m;
    }
}
