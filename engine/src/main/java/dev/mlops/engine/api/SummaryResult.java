package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The Markdown of the result files (or the requested field's value, null when absent). {@code exitCode} is 1 when a
 * field was asked for and is absent, so a pipeline's {@code $(mlops summary --field ...)} fails loudly.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"text", "exitCode"})
public record SummaryResult(String text, int exitCode) implements EngineResult {
}
