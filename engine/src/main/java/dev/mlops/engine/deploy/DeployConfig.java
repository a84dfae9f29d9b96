package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * One deploy request. {@code image} is the model-server image (Kubernetes) or a free-form label (local target);
 * {@code modelRef} is where the server loads the model from (a registry URI such as {@code models:/name/3}, or a
 * path). {@code replicas} serve traffic; after a successful switch the previous color is kept at
 * {@code warmReplicas} (default 1) so a rollback is a selector flip. {@code readyTimeout} bounds the rollout wait;
 * the post-switch check probes the active endpoint every {@code verifyInterval} for {@code verifyWindow} and fails
 * when the share of failed probes exceeds {@code maxErrorRate}. {@code historySize} releases are kept in the ledger.
 * {@code alias} (e.g. {@code staging} or {@code production}; null = none) is moved to the model version on success.
 * {@code lockTtl} is the lock's lease; the deployer renews it while it works, so a dead run frees it within a TTL.
 */
public record DeployConfig(String app, String image, String modelName, String modelVersion, String modelRef,
                           String gitSha, Integer replicas, Integer warmReplicas, Duration readyTimeout,
                           SmokeSpec smoke, Duration verifyWindow, Duration verifyInterval, Double maxErrorRate,
                           Integer historySize, String alias, String who, String buildUrl, Duration lockTtl) {

    /** Kubernetes object names are built from the app name, so it must be a DNS label (with room for suffixes). */
    private static final Pattern APP = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    /** What {@link #isValidApp} requires, for messages. */
    public static final String APP_RULE = "lower-case letters, digits and '-', starting and ending with a letter or"
            + " digit, at most 40 characters";

    /** Whether {@code app} can name Kubernetes objects and the local state folder. */
    public static boolean isValidApp(String app) {
        return app != null && APP.matcher(app).matches();
    }

    public DeployConfig {
        require(app, "app");
        if (!isValidApp(app)) {
            throw new InputException("deploy: app '" + app + "' must be " + APP_RULE);
        }
        require(image, "image");
        require(modelName, "model name");
        require(modelVersion, "model version");
        modelRef = modelRef == null || modelRef.isBlank() ? "models:/" + modelName + "/" + modelVersion : modelRef;
        gitSha = gitSha == null ? "" : gitSha;
        replicas = replicas == null ? DeployDefaults.REPLICAS : replicas;
        warmReplicas = warmReplicas == null ? DeployDefaults.WARM_REPLICAS : warmReplicas;
        readyTimeout = readyTimeout == null ? DeployDefaults.READY_TIMEOUT : readyTimeout;
        smoke = smoke == null ? SmokeSpec.readinessOnly() : smoke;
        verifyWindow = verifyWindow == null ? DeployDefaults.VERIFY_WINDOW : verifyWindow;
        verifyInterval = verifyInterval == null ? DeployDefaults.VERIFY_INTERVAL : verifyInterval;
        maxErrorRate = maxErrorRate == null ? DeployDefaults.MAX_ERROR_RATE : maxErrorRate;
        historySize = historySize == null ? DeployDefaults.HISTORY : historySize;
        who = who == null || who.isBlank() ? "unknown" : who;
        buildUrl = buildUrl == null ? "" : buildUrl;
        lockTtl = lockTtl == null ? DeployDefaults.LOCK_TTL : lockTtl;
        if (replicas < 1) {
            throw new InputException("deploy: replicas must be at least 1, got " + replicas);
        }
        if (warmReplicas < 0 || warmReplicas > replicas) {
            throw new InputException("deploy: warm replicas must be between 0 and replicas (" + replicas + "), got "
                    + warmReplicas);
        }
        if (historySize < 2) {
            throw new InputException("deploy: history size must be at least 2 (a rollback needs the previous release), got "
                    + historySize);
        }
        if (maxErrorRate < 0 || maxErrorRate >= 1) {
            throw new InputException("deploy: max error rate must be in [0, 1), got " + maxErrorRate);
        }
        if (verifyInterval.isZero() || verifyInterval.isNegative()) {
            throw new InputException("deploy: verify interval must be positive, got " + verifyInterval);
        }
    }

    private static void require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new InputException("deploy: " + what + " is required");
        }
    }
}
