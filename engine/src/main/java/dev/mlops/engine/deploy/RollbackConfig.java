package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;

import java.time.Duration;

/**
 * A rollback of {@code app} to {@code to}: {@code previous} (default: the newest release that served and differs from
 * what serves now), a release id from the ledger, or a model version. When the target release still runs warm on the
 * other color this is a selector flip; otherwise the ledger's image and model are redeployed blue-green with the same
 * settings a deploy takes. Unset values take {@link DeployDefaults}; {@code verifyWindow} defaults to
 * {@link DeployDefaults#ROLLBACK_VERIFY_WINDOW}: one round of health and prediction probes, since the release rolled
 * back to already served.
 */
public record RollbackConfig(String app, String to, Integer replicas, Integer warmReplicas, Duration readyTimeout,
                              SmokeSpec smoke, Duration verifyWindow, Duration verifyInterval, Double maxErrorRate,
                              Integer historySize, String alias, String who, String buildUrl, Duration lockTtl) {
    public RollbackConfig {
        if (app == null || app.isBlank()) {
            throw new InputException("rollback: app is required");
        }
        to = to == null || to.isBlank() ? "previous" : to.trim();
        replicas = replicas == null ? DeployDefaults.REPLICAS : replicas;
        warmReplicas = warmReplicas == null ? DeployDefaults.WARM_REPLICAS : warmReplicas;
        readyTimeout = readyTimeout == null ? DeployDefaults.READY_TIMEOUT : readyTimeout;
        smoke = smoke == null ? SmokeSpec.readinessOnly() : smoke;
        verifyWindow = verifyWindow == null ? DeployDefaults.ROLLBACK_VERIFY_WINDOW : verifyWindow;
        verifyInterval = verifyInterval == null ? DeployDefaults.VERIFY_INTERVAL : verifyInterval;
        maxErrorRate = maxErrorRate == null ? DeployDefaults.MAX_ERROR_RATE : maxErrorRate;
        historySize = historySize == null ? DeployDefaults.HISTORY : historySize;
        lockTtl = lockTtl == null ? DeployDefaults.LOCK_TTL : lockTtl;
    }

    public static RollbackConfig toPrevious(String app, String who) {
        return new RollbackConfig(app, null, null, null, null, null, null, null, null, null, null, who, null, null);
    }

    /** The deploy settings used for the health check or a cold redeploy of {@code r}. */
    DeployConfig configFor(Release r, String alias) {
        return new DeployConfig(app, r.image(), r.modelName(), r.modelVersion(), r.modelRef(), r.gitSha(), replicas,
                warmReplicas, readyTimeout, smoke, verifyWindow, verifyInterval, maxErrorRate, historySize, alias, who,
                buildUrl, lockTtl);
    }
}
