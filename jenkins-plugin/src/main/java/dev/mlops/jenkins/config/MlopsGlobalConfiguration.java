package dev.mlops.jenkins.config;

import edu.umd.cs.findbugs.annotations.NonNull;
import hudson.Extension;
import hudson.ExtensionList;
import hudson.model.Item;
import hudson.util.FormValidation;
import hudson.util.ListBoxModel;
import jenkins.model.GlobalConfiguration;
import org.jenkinsci.Symbol;
import org.kohsuke.stapler.AncestorInPath;
import org.kohsuke.stapler.DataBoundSetter;
import org.kohsuke.stapler.QueryParameter;
import org.kohsuke.stapler.verb.POST;

/**
 * Manage Jenkins → System → mlops: defaults every step uses when it is not given its own. Settable with Configuration
 * as Code: {@code unclassified: mlops: {trackingUri: ..., mlflowCredentialsId: ..., kubeconfigCredentialsId: ...}}.
 */
@Extension
@Symbol("mlops")
public class MlopsGlobalConfiguration extends GlobalConfiguration {
    private String trackingUri;
    private String mlflowCredentialsId;
    private String kubeconfigCredentialsId;

    public MlopsGlobalConfiguration() {
        load();
    }

    public static MlopsGlobalConfiguration get() {
        return ExtensionList.lookupSingleton(MlopsGlobalConfiguration.class);
    }

    @NonNull
    @Override
    public String getDisplayName() {
        return "mlops";
    }

    public String getTrackingUri() {
        return trackingUri;
    }

    @DataBoundSetter
    public void setTrackingUri(String trackingUri) {
        this.trackingUri = blankToNull(trackingUri);
        save();
    }

    public String getMlflowCredentialsId() {
        return mlflowCredentialsId;
    }

    @DataBoundSetter
    public void setMlflowCredentialsId(String mlflowCredentialsId) {
        this.mlflowCredentialsId = blankToNull(mlflowCredentialsId);
        save();
    }

    public String getKubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    @DataBoundSetter
    public void setKubeconfigCredentialsId(String kubeconfigCredentialsId) {
        this.kubeconfigCredentialsId = blankToNull(kubeconfigCredentialsId);
        save();
    }

    public FormValidation doCheckTrackingUri(@QueryParameter String value) {
        return FormChecks.trackingUri(value);
    }

    @POST
    public ListBoxModel doFillMlflowCredentialsIdItems(@AncestorInPath Item item, @QueryParameter String mlflowCredentialsId) {
        return CredentialsListing.mlflow(item, mlflowCredentialsId);
    }

    @POST
    public ListBoxModel doFillKubeconfigCredentialsIdItems(@AncestorInPath Item item,
                                                           @QueryParameter String kubeconfigCredentialsId) {
        return CredentialsListing.kubeconfig(item, kubeconfigCredentialsId);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
