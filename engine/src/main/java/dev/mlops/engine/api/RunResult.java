package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline: how far it got ({@code DATA}: data checks failed; {@code GATE}: the gate failed;
 * {@code REGISTERED}: passed and registered as {@code candidate}), the run, the registered version, the chosen grid
 * point and metrics, both verdicts with the gate's failures, the report files, the gate report ({@code gateReport},
 * null when nothing was gated), the data report only when it stopped the run ({@code dataReport}, else null), and
 * timings. The same JSON is written to {@code OUT/run.json}.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"stage", "passed", "exitCode", "runId", "runUrl", "modelVersion", "chosen", "metrics",
        "dataChecksPassed", "gatePassed", "gateFailures", "reports", "dataReport", "gateReport", "outDir",
        "timingsMillis", "elapsedSeconds"})
public record RunResult(Stage stage, boolean passed, int exitCode, String runId, String runUrl, Version modelVersion,
                        Map<String, Number> chosen, Map<String, Double> metrics, Boolean dataChecksPassed,
                        Boolean gatePassed, List<GateFailure> gateFailures, Reports reports, Report dataReport,
                        Report gateReport, String outDir, Map<String, Long> timingsMillis, double elapsedSeconds)
        implements EngineResult {

    public enum Stage { DATA, GATE, REGISTERED }

    public RunResult {
        chosen = Results.numbers(chosen);
        metrics = Results.map(metrics);
        gateFailures = Results.list(gateFailures);
        timingsMillis = Results.map(timingsMillis);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"name", "version", "aliases", "source"})
    public record Version(String name, String version, List<String> aliases, String source) implements Serializable {
        public Version {
            aliases = Results.list(aliases);
        }
    }

    /** {@code gate} is null when the data checks failed and nothing was gated. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"data", "gate"})
    public record Reports(ReportPaths data, ReportPaths gate) implements Serializable {
    }
}
