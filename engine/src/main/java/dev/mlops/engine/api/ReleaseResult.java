package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * A deploy or rollback: the release as recorded in the ledger, the target it ran on, the color serving traffic when
 * the operation ended ({@code trafficOn}; null when it could not be read), exit 0 when the release SUCCEEDED and 1
 * when it was refused (traffic stayed on, or went back to, the healthy color).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"release", "target", "trafficOn", "exitCode"})
public record ReleaseResult(ReleaseInfo release, String target, String trafficOn, int exitCode) implements EngineResult {
}
