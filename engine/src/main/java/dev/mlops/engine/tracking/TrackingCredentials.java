package dev.mlops.engine.tracking;

import dev.mlops.engine.Secret;

/**
 * How to authenticate to an MLflow server: a bearer token, or a user and password (basic auth), or nothing.
 * The front end reads them from its environment ({@code MLFLOW_TRACKING_TOKEN}, {@code MLFLOW_TRACKING_USERNAME},
 * {@code MLFLOW_TRACKING_PASSWORD}) or a Jenkins credential, and passes them in.
 */
public record TrackingCredentials(Secret token, String username, Secret password) {
    public static final TrackingCredentials NONE = new TrackingCredentials(null, null, null);

    @Override
    public String toString() {
        return "TrackingCredentials[" + (token != null ? "token" : username != null ? "basic user " + username : "none") + "]";
    }
}
