package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.config.FormChecks;
import dev.mlops.jenkins.config.MlopsGlobalConfiguration;
import hudson.AbortException;
import org.kohsuke.stapler.DataBoundSetter;

/**
 * A step that talks to the model registry: {@code trackingUri} ({@code --tracking-uri}; default the global setting,
 * else the spec's tracking.uri) and {@code mlflowCredentialsId} (Secret text = token, or Username with password;
 * default the global setting).
 */
public abstract class TrackedStep extends MlopsStep {
    private static final long serialVersionUID = 1L;

    private String trackingUri;
    private String mlflowCredentialsId;

    public String getTrackingUri() {
        return trackingUri;
    }

    @DataBoundSetter
    public void setTrackingUri(String trackingUri) {
        this.trackingUri = Params.trim(trackingUri);
    }

    public String getMlflowCredentialsId() {
        return mlflowCredentialsId;
    }

    @DataBoundSetter
    public void setMlflowCredentialsId(String mlflowCredentialsId) {
        this.mlflowCredentialsId = Params.trim(mlflowCredentialsId);
    }

    @Override
    CliCall call(String function, String command) throws AbortException {
        MlopsGlobalConfiguration defaults = MlopsGlobalConfiguration.get();
        String uri = Params.orDefault(trackingUri, defaults.getTrackingUri());
        if (uri != null) {
            String problem = FormChecks.trackingUriProblem(uri);
            if (problem != null) {
                // The value is not echoed: it may be the very credential the check refuses.
                throw new AbortException(function + ": trackingUri: " + problem);
            }
        }
        return super.call(function, command)
                .option("--tracking-uri", uri)
                .credentials(Params.orDefault(mlflowCredentialsId, defaults.getMlflowCredentialsId()), null);
    }
}
