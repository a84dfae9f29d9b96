package dev.mlops.engine.deploy;

import java.time.Duration;

/**
 * The one set of release defaults, whatever the path (spec keys, CLI options, Jenkins step parameters): the spec's
 * {@code DeploySpec}, {@link DeployConfig}, {@link RollbackConfig} and {@link SmokeSpec} all take theirs from here.
 */
public final class DeployDefaults {
    public static final String TARGET = "local";
    public static final String NAMESPACE = "default";
    public static final int PORT = 8080;
    public static final int STAGING_PORT = 8180;
    public static final int REPLICAS = 2;
    public static final int WARM_REPLICAS = 1;
    public static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration VERIFY_WINDOW = Duration.ofSeconds(30);
    /** Zero: one round of health and prediction probes; the color rolled back to already served. */
    public static final Duration ROLLBACK_VERIFY_WINDOW = Duration.ZERO;
    public static final Duration VERIFY_INTERVAL = Duration.ofSeconds(2);
    public static final double MAX_ERROR_RATE = 0.01;
    public static final int HISTORY = 5;
    public static final Duration LOCK_TTL = Duration.ofSeconds(90);
    public static final double SMOKE_MIN_AGREEMENT = 1.0;
    public static final Duration SMOKE_LATENCY_BUDGET = Duration.ofMillis(250);
    public static final Duration SMOKE_TIMEOUT = Duration.ofSeconds(60);

    private DeployDefaults() {
    }
}
