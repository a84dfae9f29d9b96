package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** What {@code stop} ended: the colors that were running and the proxy; the ledger is kept. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"app", "environment", "stopped", "exitCode"})
public record StopResult(String app, String environment, List<String> stopped, int exitCode) implements EngineResult {
    public StopResult {
        stopped = Results.list(stopped);
    }
}
