package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.Map;

/**
 * A training: the tracked run ({@code runId} null when not tracked; {@code runUrl} the MLflow UI page for a server),
 * the model file and its SHA-256, the chosen grid point, test metrics, row counts, the data checks that ran first,
 * the files written and per-phase timings. When the data checks fail nothing is trained: exit code 1, model null.
 * The same JSON is written to {@code OUT/train.json}, which {@code register} reads.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"runId", "runUrl", "model", "modelSha256", "algorithm", "chosen", "metrics", "trainRows", "testRows",
        "dataChecks", "outDir", "trainJson", "metricsFile", "modelCard", "timingsMillis", "exitCode"})
public record TrainResult(String runId, String runUrl, String model, String modelSha256, String algorithm,
                          Map<String, Number> chosen, Map<String, Double> metrics, Integer trainRows, Integer testRows,
                          DataChecks dataChecks, String outDir, String trainJson, String metricsFile, String modelCard,
                          Map<String, Long> timingsMillis, int exitCode) implements EngineResult {
    public TrainResult {
        chosen = Results.numbers(chosen);
        metrics = Results.map(metrics);
        timingsMillis = Results.map(timingsMillis);
    }

    /** The data checks {@code train} ran before training; {@code report} only when they failed (else null). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"passed", "reports", "report"})
    public record DataChecks(boolean passed, ReportPaths reports, Report report) implements Serializable {
    }
}
