package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The new registered version, the alias pointing at it, the run it came from and the model file's SHA-256. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "version", "alias", "runId", "modelSha256", "exitCode"})
public record RegisterResult(String name, String version, String alias, String runId, String modelSha256, int exitCode)
        implements EngineResult {
}
