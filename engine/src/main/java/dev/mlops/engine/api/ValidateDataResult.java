package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The data checks: passed (exit 0) or not (exit 1), the report, and where its files are. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"passed", "exitCode", "report", "reports"})
public record ValidateDataResult(boolean passed, int exitCode, Report report, ReportPaths reports) implements EngineResult {
}
