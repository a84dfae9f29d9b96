package dev.mlops.engine.tracking;

import java.util.Map;

public record RunInfo(String runId, String experimentId, String runName, RunStatus status, String artifactUri,
                      Map<String, String> params, Map<String, Double> metrics, Map<String, String> tags) {
    public RunInfo {
        params = Map.copyOf(params);
        metrics = Map.copyOf(metrics);
        tags = Map.copyOf(tags);
    }
}
