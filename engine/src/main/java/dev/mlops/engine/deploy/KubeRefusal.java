package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Redactor;
import io.fabric8.kubernetes.api.model.NamedContext;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.file.Path;

/**
 * An API server that refuses who we are: 401 (the credentials are not accepted) or 403 (the identity lacks a right).
 * Retrying cannot help, so it is an input error (exit 2), as refused MLflow credentials are, and the message names the
 * API server and the identity method (kubeconfig file, context and user, a bearer token, a client certificate...),
 * never the credential.
 */
final class KubeRefusal {
    private KubeRefusal() {
    }

    /** {@code e} as an input error when it, or what it wraps, is a 401 or 403 from the API server; else {@code e}. */
    static RuntimeException classify(RuntimeException e, Config cfg, Redactor redactor) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof KubernetesClientException k && (k.getCode() == 401 || k.getCode() == 403)) {
                return refused(k, cfg, redactor);
            }
        }
        return e;
    }

    private static InputException refused(KubernetesClientException k, Config cfg, Redactor redactor) {
        String said = k.getStatus() == null || k.getStatus().getMessage() == null ? ""
                : ": " + redactor.redact(k.getStatus().getMessage());
        String advice = k.getCode() == 401
                ? "; check that the credentials are current (an expired token or a rotated certificate?)"
                : "; the identity needs the permissions k8s/rbac.yaml grants in this namespace";
        return new InputException("kubernetes: the API server " + (cfg == null ? "?" : cfg.getMasterUrl())
                + " refused " + identity(cfg) + " (HTTP " + k.getCode() + (k.getCode() == 401 ? " Unauthorized"
                : " Forbidden") + ")" + said + advice);
    }

    /** How the client identifies itself, in words that reveal no credential. */
    static String identity(Config cfg) {
        if (cfg == null) {
            return "the client's credentials";
        }
        String method;
        if (cfg.getAuthProvider() != null) {
            method = "the auth provider '" + cfg.getAuthProvider().getName() + "'";
        } else if (cfg.getOauthTokenProvider() != null) {
            method = "a token from a token provider";
        } else if (present(cfg.getOauthToken()) || present(cfg.getAutoOAuthToken())) {
            boolean serviceAccount = cfg.getCaCertFile() != null
                    && Path.of(cfg.getCaCertFile()).startsWith(KubeAccess.SERVICE_ACCOUNT);
            method = serviceAccount ? "the pod's service-account token" : "a bearer token";
        } else if (present(cfg.getClientCertFile()) || present(cfg.getClientCertData())) {
            method = "a client certificate";
        } else if (present(cfg.getUsername())) {
            method = "basic auth as '" + cfg.getUsername() + "'";
        } else {
            method = "no credentials (anonymous)";
        }
        if (cfg.getFile() == null) {
            return method;
        }
        NamedContext ctx = cfg.getCurrentContext();
        String where = "kubeconfig " + cfg.getFile();
        if (ctx != null) {
            where += " context '" + ctx.getName() + "'";
            if (ctx.getContext() != null && ctx.getContext().getUser() != null) {
                where += " (user '" + ctx.getContext().getUser() + "')";
            }
        }
        return where + " with " + method;
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
