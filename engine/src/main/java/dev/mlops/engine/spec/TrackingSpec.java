package dev.mlops.engine.spec;

/**
 * Where runs and models are recorded. {@code uri}: a folder (MLflow's file layout; relative to the spec file) or
 * an {@code http(s)://} MLflow tracking server. Credentials never live here: they come from the environment.
 */
public record TrackingSpec(String uri, String experiment, String registeredModel, Integer connectTimeoutSeconds) {
    public TrackingSpec {
        uri = uri == null ? "mlruns" : uri;
        connectTimeoutSeconds = connectTimeoutSeconds == null ? 5 : connectTimeoutSeconds;
    }
}
