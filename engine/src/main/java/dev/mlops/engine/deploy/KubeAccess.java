package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Redactor;
import dev.mlops.engine.Secret;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How to reach the cluster: a kubeconfig file (optionally a context), the pod's service account (the caller passes
 * the API server URL it read from KUBERNETES_SERVICE_HOST/PORT), or an API server URL plus a token. The token is a
 * {@link Secret}: it is never logged and never part of a message.
 */
public final class KubeAccess {
    /** Where a pod's service-account token and CA live. */
    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");

    private final Path kubeconfig;
    private final String context;
    private final String apiServer;
    private final Secret token;
    private final Path caFile;
    private final boolean insecure;

    private KubeAccess(Path kubeconfig, String context, String apiServer, Secret token, Path caFile, boolean insecure) {
        this.kubeconfig = kubeconfig;
        this.context = context;
        this.apiServer = apiServer;
        this.token = token;
        this.caFile = caFile;
        this.insecure = insecure;
    }

    public static KubeAccess kubeconfig(Path file, String context) {
        return new KubeAccess(file, context, null, null, null, false);
    }

    public static KubeAccess token(String apiServer, Secret token, Path caFile, boolean insecure) {
        return new KubeAccess(null, null, apiServer, token, caFile, insecure);
    }

    /** The pod's own service account: token and CA from {@code saDir} (normally {@link #SERVICE_ACCOUNT}). */
    public static KubeAccess inCluster(String apiServer, Path saDir) {
        Path tokenFile = saDir.resolve("token");
        try {
            Secret t = Secret.of(Files.readString(tokenFile, StandardCharsets.UTF_8).trim());
            return new KubeAccess(null, null, apiServer, t, saDir.resolve("ca.crt"), false);
        } catch (IOException e) {
            throw new InputException("kubernetes: cannot read the service-account token " + tokenFile
                    + " (is this running in a pod?)");
        }
    }

    /** A client with fabric8's own retries off: the deployer retries its writes itself, with a fresh read. */
    public KubernetesClient connect(String namespace) {
        try {
            Config base;
            if (kubeconfig != null) {
                if (!Files.isRegularFile(kubeconfig)) {
                    throw new InputException("kubernetes: kubeconfig " + kubeconfig + " does not exist");
                }
                base = Config.fromKubeconfig(context, Files.readString(kubeconfig, StandardCharsets.UTF_8), kubeconfig.toString());
            } else {
                ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(apiServer).withOauthToken(token.reveal());
                if (caFile != null && Files.isRegularFile(caFile)) {
                    b.withCaCertFile(caFile.toString());
                }
                if (insecure) {
                    b.withTrustCerts(true);
                }
                base = b.build();
            }
            Config cfg = new ConfigBuilder(base).withNamespace(namespace).withRequestRetryBackoffLimit(0).build();
            return new KubernetesClientBuilder().withConfig(cfg).build();
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new InfraException("kubernetes: cannot configure the client for " + describe() + ": "
                    + Redactor.of(token).redact(msg));
        }
    }

    public String describe() {
        if (kubeconfig != null) {
            return "kubeconfig " + kubeconfig + (context == null ? "" : " context " + context);
        }
        return "API server " + apiServer + " with a token";
    }

    @Override
    public String toString() {
        return "KubeAccess[" + describe() + "]";
    }
}
