package dev.mlops.engine.spec;

import java.nio.file.Path;

/**
 * Where and how releases are deployed. {@code target}: {@code local} (model servers as processes behind a local
 * proxy; the default, needs nothing installed) or {@code kubernetes}. Staging and production are two environments
 * of the same app that differ in namespace (Kubernetes) or port (local); the approval between them happens outside
 * the engine (Jenkins {@code input}, a GitHub environment).
 *
 * @param smokeSamples  CSV with input columns and the expected label in the last column; every row is sent to the
 *                      idle color before traffic moves (relative to the spec file)
 * @param stagingPort   local target: the public port of the staging environment ({@code --staging})
 * @param stagingNamespace Kubernetes: the staging namespace ({@code --staging}); default {@code namespace}
 * @param kubernetes    Kubernetes: how pods get their model, their port (null: defaults)
 */
public record DeploySpec(String app, String target, String namespace, String image, Integer replicas,
                         Integer warmReplicas, Integer port, Integer stagingPort, String stagingNamespace,
                         Path smokeSamples, Double smokeLatencyBudgetMs, Integer readyTimeoutSeconds,
                         Integer verifySeconds, Double maxErrorRate, Integer history, String kubeconfig,
                         KubernetesSpec kubernetes) {
    public DeploySpec {
        target = target == null ? "local" : target;
        namespace = namespace == null ? "default" : namespace;
        replicas = replicas == null ? 2 : replicas;
        warmReplicas = warmReplicas == null ? 1 : warmReplicas;
        port = port == null ? 8080 : port;
        stagingPort = stagingPort == null ? 8180 : stagingPort;
        smokeLatencyBudgetMs = smokeLatencyBudgetMs == null ? 250.0 : smokeLatencyBudgetMs;
        readyTimeoutSeconds = readyTimeoutSeconds == null ? 300 : readyTimeoutSeconds;
        verifySeconds = verifySeconds == null ? 30 : verifySeconds;
        maxErrorRate = maxErrorRate == null ? 0.01 : maxErrorRate;
        history = history == null ? 5 : history;
    }

    /** {@code image} tagged with the commit when it carries no tag of its own; null when no image is configured. */
    public String imageFor(String gitSha) {
        if (image == null) {
            return null;
        }
        boolean tagged = image.substring(image.lastIndexOf('/') + 1).contains(":") || image.contains("@sha256:");
        return tagged || gitSha == null || gitSha.isBlank() || gitSha.equals("unknown") ? image : image + ":" + gitSha;
    }

    public static DeploySpec defaults() {
        return new DeploySpec(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
    }
}
