package dev.mlops.engine.tracking;

/** A run just created: MLflow ids are strings. */
public record RunRef(String runId, String experimentId, String artifactUri) {
}
