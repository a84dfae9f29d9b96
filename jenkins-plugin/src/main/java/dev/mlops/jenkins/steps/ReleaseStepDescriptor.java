package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.config.CredentialsListing;
import dev.mlops.jenkins.config.FormChecks;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/** Form checks and drop-downs of the fields blueGreenDeploy and mlRollback share. */
public abstract class ReleaseStepDescriptor extends MlopsStepDescriptor {
    protected ReleaseStepDescriptor(String functionName, String displayName) {
        super(functionName, displayName);
    }

    public FormValidation doCheckEnvironment(@QueryParameter String value) {
        return FormChecks.oneOf(value, ReleaseStep.ENVIRONMENTS);
    }

    public ListBoxModel doFillEnvironmentItems() {
        return choices(ReleaseStep.ENVIRONMENTS);
    }

    @POST
    public ListBoxModel doFillKubeconfigCredentialsIdItems(@AncestorInPath Item item,
                                                           @QueryParameter String kubeconfigCredentialsId) {
        return CredentialsListing.kubeconfig(item, kubeconfigCredentialsId);
    }
}
