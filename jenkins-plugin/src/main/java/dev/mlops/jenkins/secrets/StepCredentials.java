package dev.mlops.jenkins.secrets;

import com.cloudbees.plugins.credentials.CredentialsProvider;
import com.cloudbees.plugins.credentials.common.IdCredentials;
import com.cloudbees.plugins.credentials.common.StandardUsernamePasswordCredentials;
import hudson.AbortException;
import hudson.model.Run;
import org.jenkinsci.plugins.plaincredentials.FileCredentials;
import org.jenkinsci.plugins.plaincredentials.StringCredentials;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/**
 * Resolves a step's credentials ids in the context of the build, as credentials-binding does: so folder credentials,
 * credentials parameters and the build's authentication apply, and Jenkins records that this build used them.
 * The secrets are read as late as possible and handed on in memory.
 */
public final class StepCredentials {
    /** Environment variables the {@code mlops} command reads its MLflow credentials from. */
    public static final String TOKEN = "MLFLOW_TRACKING_TOKEN";
    public static final String USERNAME = "MLFLOW_TRACKING_USERNAME";
    public static final String PASSWORD = "MLFLOW_TRACKING_PASSWORD";

    private StepCredentials() {
    }

    /**
     * {@code mlflowId}: Secret text (a token) or Username with password; {@code kubeconfigId}: Secret file. Either may
     * be null. Fails with one line naming the step, the parameter and the id.
     */
    public static ChildSecrets resolve(Run<?, ?> run, String function, String mlflowId, String kubeconfigId)
            throws IOException {
        ChildSecrets secrets = new ChildSecrets();
        if (mlflowId != null) {
            IdCredentials c = find(run, function, "mlflowCredentialsId", mlflowId);
            if (c instanceof StringCredentials token) {
                secrets.env(TOKEN, token.getSecret().getPlainText(), true);
            } else if (c instanceof StandardUsernamePasswordCredentials up) {
                secrets.env(USERNAME, up.getUsername(), up.isUsernameSecret());
                secrets.env(PASSWORD, up.getPassword().getPlainText(), true);
            } else {
                throw wrongType(function, "mlflowCredentialsId", mlflowId, c, "Secret text or Username with password");
            }
            CredentialsProvider.track(run, c);
        }
        if (kubeconfigId != null) {
            IdCredentials c = find(run, function, "kubeconfigCredentialsId", kubeconfigId);
            if (!(c instanceof FileCredentials file)) {
                throw wrongType(function, "kubeconfigCredentialsId", kubeconfigId, c, "Secret file (a kubeconfig)");
            }
            try (InputStream in = file.getContent()) {
                secrets.kubeconfig(in.readAllBytes());
            }
            CredentialsProvider.track(run, c);
        }
        return secrets;
    }

    private static IdCredentials find(Run<?, ?> run, String function, String param, String id) throws AbortException {
        IdCredentials c = CredentialsProvider.findCredentialById(id, IdCredentials.class, run, List.of());
        if (c == null) {
            throw new AbortException(function + ": " + param + " '" + id
                    + "': no credentials with this id are available to this build");
        }
        return c;
    }

    private static AbortException wrongType(String function, String param, String id, IdCredentials c, String expected) {
        return new AbortException(function + ": " + param + " '" + id + "' is a " + c.getDescriptor().getDisplayName()
                + " credential; expected " + expected);
    }
}
