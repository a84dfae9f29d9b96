package dev.mlops.engine.spec;

import dev.mlops.engine.tracking.Timeouts;

/**
 * Where runs and models are recorded. {@code uri}: a folder (MLflow's file layout; relative to the spec file) or
 * an {@code http(s)://} MLflow tracking server. Credentials never live here: they come from the environment.
 * The timeouts bound how long a server can hold a pipeline up (see {@link Timeouts}).
 */
public record TrackingSpec(String uri, String experiment, String registeredModel, Integer connectTimeoutSeconds,
                           Integer requestTimeoutSeconds, Integer deadlineSeconds) {
    public TrackingSpec {
        uri = uri == null ? "mlruns" : uri;
        connectTimeoutSeconds = connectTimeoutSeconds == null ? (int) Timeouts.DEFAULTS.connect().toSeconds() : connectTimeoutSeconds;
        requestTimeoutSeconds = requestTimeoutSeconds == null ? (int) Timeouts.DEFAULTS.request().toSeconds() : requestTimeoutSeconds;
        deadlineSeconds = deadlineSeconds == null ? (int) Timeouts.DEFAULTS.deadline().toSeconds() : deadlineSeconds;
    }

    public Timeouts timeouts() {
        return Timeouts.ofSeconds(connectTimeoutSeconds, requestTimeoutSeconds, deadlineSeconds);
    }
}
