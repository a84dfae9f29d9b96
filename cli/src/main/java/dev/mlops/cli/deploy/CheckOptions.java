package dev.mlops.cli.deploy;

import dev.mlops.engine.api.ReleaseRequest;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * Replicas, smoke test and post-switch verification: shared by deploy and rollback. Unset options take the spec's
 * value, then the engine's one set of defaults (dev.mlops.engine.deploy.DeployDefaults), quoted in the descriptions.
 */
public final class CheckOptions {
    @Option(names = "--replicas", description = "Serving replicas (default deploy.replicas, else 2; the local target runs one process).")
    Integer replicas;

    @Option(names = "--warm-replicas", description = "Replicas the previous color keeps for a fast rollback (default deploy.warmReplicas, else 1).")
    Integer warmReplicas;

    @Option(names = "--ready-timeout", converter = DurationConverter.class, description = "Rollout timeout (default deploy.readyTimeoutSeconds, else 5m).")
    Duration readyTimeout;

    @Option(names = "--smoke-samples", description = "CSV with a header: feature columns in the model's input order, then the expected label (default deploy.smokeSamples).")
    String smokeSamples;

    @Option(names = "--min-agreement", description = "Share of sample rows that must match (default 1.0).")
    Double minAgreement;

    @Option(names = "--latency-budget", converter = DurationConverter.class, description = "Slowest smoke request allowed (default deploy.smokeLatencyBudgetMs, else 250ms).")
    Duration latencyBudget;

    @Option(names = "--smoke-timeout", converter = DurationConverter.class, description = "How long the smoke test waits for the new version (default 60s).")
    Duration smokeTimeout;

    @Option(names = "--verify-window", converter = DurationConverter.class, description = "Probe the public endpoint this long after the switch "
            + "(deploy: deploy.verifySeconds, else 30s; rollback: deploy.rollbackVerifySeconds, else 0 = one round).")
    Duration verifyWindow;

    @Option(names = "--verify-interval", converter = DurationConverter.class, description = "Between verify probes (default 2s).")
    Duration verifyInterval;

    @Option(names = "--max-error-rate", description = "Failed verify probes tolerated, as a share (default deploy.maxErrorRate, else 0.01).")
    Double maxErrorRate;

    @Option(names = "--history", description = "Releases kept in the ledger (default deploy.history, else 5).")
    Integer history;

    @Option(names = "--alias", description = "Registry alias moved with traffic (default for deploy: the environment, "
            + "production or staging, when a registry is known; for rollback: the alias the undone release moved).")
    String alias;

    @Option(names = "--who", description = "Recorded in the lock and ledger (default: CI user or OS user).")
    String who;

    @Option(names = "--build-url", description = "Recorded in the lock and ledger (default: $BUILD_URL, the GitHub run or $CI_JOB_URL).")
    String buildUrl;

    @Option(names = "--lock-ttl", converter = DurationConverter.class, description = "Deploy lock lease, renewed while working (default 90s).")
    Duration lockTtl;

    /** The request with every option given here set. */
    <R extends ReleaseRequest<R>> R applyTo(R request) {
        return request.withReplicas(replicas).withWarmReplicas(warmReplicas).withReadyTimeout(readyTimeout)
                .withSmokeSamples(smokeSamples).withMinAgreement(minAgreement).withLatencyBudget(latencyBudget)
                .withSmokeTimeout(smokeTimeout).withVerifyWindow(verifyWindow).withVerifyInterval(verifyInterval)
                .withMaxErrorRate(maxErrorRate).withHistory(history).withAlias(alias).withWho(who)
                .withBuildUrl(buildUrl).withLockTtl(lockTtl);
    }
}
