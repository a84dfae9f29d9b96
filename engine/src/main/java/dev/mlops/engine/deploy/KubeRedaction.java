package dev.mlops.engine.deploy;

import dev.mlops.engine.Log;
import dev.mlops.engine.MlopsException;
import dev.mlops.engine.Redactor;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the cluster's credentials out of what {@link KubernetesTarget} says. An API server may echo the token it was
 * sent ({@code bad credentials: Bearer <token>}), and fabric8 copies the server's message into its exception, which
 * would otherwise reach our errors, logs and the release ledger. The known secrets are the client's own (token,
 * password, key data: whatever its kubeconfig held); {@link Redactor#PATTERNS} catch the rest.
 *
 * <p>(A dynamic proxy over the whole fabric8 DSL would cover every call without wrapping each, but fabric8's DSL
 * classes implement interfaces whose methods clash for {@link java.lang.reflect.Proxy}, e.g. withTimeout on
 * deployments; so the target wraps its own entry points.)
 */
final class KubeRedaction {
    private KubeRedaction() {
    }

    /** The client's secrets plus the patterns; warns on {@code log} when they go to a plain-http API server. */
    static Redactor redactor(KubernetesClient client, Log log) {
        Config cfg = client.getConfiguration();
        List<String> secrets = new ArrayList<>();
        if (cfg != null) {
            secrets.add(cfg.getOauthToken());
            secrets.add(cfg.getAutoOAuthToken());
            secrets.add(cfg.getPassword());
            secrets.add(cfg.getClientKeyData());
            secrets.add(cfg.getClientKeyPassphrase());
            boolean credentials = secrets.stream().anyMatch(s -> s != null && !s.isBlank());
            String master = cfg.getMasterUrl();
            if (credentials && master != null && master.regionMatches(true, 0, "http://", 0, 7)) {
                log.warn("kubernetes: credentials are sent to the API server " + master + " over plain http, "
                        + "readable by anyone on the network path; use https");
            }
        }
        return Redactor.of(secrets);
    }

    /**
     * {@code e} with credentials removed from its message, its Status and its causes. A client exception keeps its
     * type, HTTP code and Status, so callers that act on a 409 still can; our own exceptions pass unchanged (their
     * messages are built from redacted parts).
     */
    static RuntimeException clean(RuntimeException e, Redactor redactor) {
        if (e instanceof MlopsException) {
            return e;
        }
        if (e instanceof KubernetesClientException k) {
            Status status = k.getStatus() == null ? null
                    : new StatusBuilder(k.getStatus()).withMessage(redactor.redact(k.getStatus().getMessage())).build();
            KubernetesClientException c = new KubernetesClientException(redactor.redact(k.getMessage()), k.getCode(),
                    status);
            c.setStackTrace(k.getStackTrace());
            if (k.getCause() != null) {
                c.addSuppressed(redactor.redact(k.getCause())); // this constructor fixes the cause at null
            }
            return c;
        }
        return redactor.redact(e);
    }
}
