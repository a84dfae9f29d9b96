package dev.mlops.engine.spec;

import dev.mlops.engine.deploy.DeployDefaults;

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
 * @param rollbackVerifySeconds how long a rollback probes the public endpoint after its switch; 0 (the default) is one
 *                      round of probes, since the release rolled back to already served
 *
 * @param kubernetes    Kubernetes: how pods get their model, their port (null: defaults)
 *
 * Defaults come from {@link DeployDefaults}, the same ones a deploy given only options gets.
 */
public record DeploySpec(String app, String target, String namespace, String image, Integer replicas,
                         Integer warmReplicas, Integer port, Integer stagingPort, String stagingNamespace,
                         Path smokeSamples, Double smokeLatencyBudgetMs, Integer readyTimeoutSeconds,
                         Integer verifySeconds, Integer rollbackVerifySeconds, Double maxErrorRate, Integer history,
                         String kubeconfig, KubernetesSpec kubernetes) {
    public DeploySpec {
        target = target == null ? DeployDefaults.TARGET : target;
        namespace = namespace == null ? DeployDefaults.NAMESPACE : namespace;
        replicas = replicas == null ? DeployDefaults.REPLICAS : replicas;
        warmReplicas = warmReplicas == null ? DeployDefaults.WARM_REPLICAS : warmReplicas;
        port = port == null ? DeployDefaults.PORT : port;
        stagingPort = stagingPort == null ? DeployDefaults.STAGING_PORT : stagingPort;
        smokeLatencyBudgetMs = smokeLatencyBudgetMs == null
                ? (double) DeployDefaults.SMOKE_LATENCY_BUDGET.toMillis() : smokeLatencyBudgetMs;
        readyTimeoutSeconds = readyTimeoutSeconds == null
                ? (int) DeployDefaults.READY_TIMEOUT.toSeconds() : readyTimeoutSeconds;
        verifySeconds = verifySeconds == null ? (int) DeployDefaults.VERIFY_WINDOW.toSeconds() : verifySeconds;
        rollbackVerifySeconds = rollbackVerifySeconds == null
                ? (int) DeployDefaults.ROLLBACK_VERIFY_WINDOW.toSeconds() : rollbackVerifySeconds;
        maxErrorRate = maxErrorRate == null ? DeployDefaults.MAX_ERROR_RATE : maxErrorRate;
        history = history == null ? DeployDefaults.HISTORY : history;
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
                null, null, null, null);
    }
}
