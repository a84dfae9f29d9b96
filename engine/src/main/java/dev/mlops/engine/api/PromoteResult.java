package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The alias moved: which model, to which version, and which version held it before (null: a new alias). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"model", "alias", "version", "previousVersion", "exitCode"})
public record PromoteResult(String model, String alias, String version, String previousVersion, int exitCode)
        implements EngineResult {
}
