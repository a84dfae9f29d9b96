package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/** The gate: passed (exit 0) or failed (exit 1, with each failed bound), the baseline it compared against (null: none). */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"passed", "exitCode", "baseline", "failures", "report", "reports"})
public record GateResult(boolean passed, int exitCode, String baseline, List<GateFailure> failures, Report report,
                         ReportPaths reports) implements EngineResult {
    public GateResult {
        failures = Results.list(failures);
    }
}
