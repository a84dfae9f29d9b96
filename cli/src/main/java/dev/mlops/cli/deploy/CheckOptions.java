package dev.mlops.cli.deploy;

import dev.mlops.engine.deploy.SmokeSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** Replicas, smoke test and post-switch verification: shared by deploy and rollback. */
public final class CheckOptions {
    @Option(names = "--replicas", description = "Serving replicas (default 2; the local target runs one process).")
    Integer replicas;

    @Option(names = "--warm-replicas", description = "Replicas the previous color keeps for a fast rollback (default 1).")
    Integer warmReplicas;

    @Option(names = "--ready-timeout", converter = DurationConverter.class, description = "Rollout timeout (default 5m).")
    Duration readyTimeout;

    @Option(names = "--smoke-samples", description = "CSV with a header: feature columns in the model's input order, then the expected label.")
    Path smokeSamples;

    @Option(names = "--min-agreement", description = "Share of sample rows that must match (default 1.0).")
    Double minAgreement;

    @Option(names = "--latency-budget", converter = DurationConverter.class, description = "Slowest smoke request allowed (default 500ms).")
    Duration latencyBudget;

    @Option(names = "--smoke-timeout", converter = DurationConverter.class, description = "How long the smoke test waits for the new version (default 60s).")
    Duration smokeTimeout;

    @Option(names = "--verify-window", converter = DurationConverter.class, description = "Probe the public endpoint this long after the switch (deploy default 30s, rollback 0 = one round).")
    Duration verifyWindow;

    @Option(names = "--verify-interval", converter = DurationConverter.class, description = "Between verify probes (default 2s).")
    Duration verifyInterval;

    @Option(names = "--max-error-rate", description = "Failed verify probes tolerated, as a share (default 0).")
    Double maxErrorRate;

    @Option(names = "--history", description = "Releases kept in the ledger (default 5).")
    Integer history;

    @Option(names = "--alias", description = "Registry alias moved with traffic (e.g. staging, production).")
    String alias;

    @Option(names = "--tracking-uri",
            description = "Registry for --alias and for models:/ references: a folder (MLflow layout) or an MLflow URL "
                    + "(default: tracking.uri of the spec, else $MLFLOW_TRACKING_URI; credentials from "
                    + "MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/_PASSWORD).")
    String trackingUri;

    @Option(names = "--who", description = "Recorded in the lock and ledger (default: CI user or OS user).")
    String who;

    @Option(names = "--build-url", description = "Recorded in the lock and ledger (default: $BUILD_URL or the GitHub run).")
    String buildUrl;

    @Option(names = "--lock-ttl", converter = DurationConverter.class, description = "Deploy lock lease, renewed while working (default 90s).")
    Duration lockTtl;

    SmokeSpec smoke() {
        if (smokeSamples == null) {
            return new SmokeSpec(null, null, minAgreement, latencyBudget, smokeTimeout);
        }
        return SmokeSpec.fromCsv(smokeSamples, minAgreement, latencyBudget, smokeTimeout);
    }
}
