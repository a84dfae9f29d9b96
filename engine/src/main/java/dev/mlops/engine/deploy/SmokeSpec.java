package dev.mlops.engine.deploy;

import java.time.Duration;
import java.util.List;

/**
 * What a new color must answer before it gets traffic. {@code rows} are feature rows sent to {@code /predict};
 * {@code expected} are the labels the model must return for them (compared as text), and at least
 * {@code minAgreement} of them must match. {@code latencyBudget} bounds the slowest smoke request.
 * {@code timeout} bounds how long the smoke test waits for the preview to be ready and to serve the new version
 * (a Service's endpoints may still point at old pods for a moment after a selector change).
 * Empty rows: only readiness and the served version are checked.
 */
public record SmokeSpec(List<List<Double>> rows, List<String> expected, Double minAgreement,
                        Duration latencyBudget, Duration timeout) {
    public SmokeSpec {
        rows = rows == null ? List.of() : rows.stream().map(List::copyOf).toList();
        expected = expected == null ? List.of() : List.copyOf(expected);
        minAgreement = minAgreement == null ? 1.0 : minAgreement;
        latencyBudget = latencyBudget == null ? Duration.ofMillis(500) : latencyBudget;
        timeout = timeout == null ? Duration.ofSeconds(60) : timeout;
        if (!expected.isEmpty() && expected.size() != rows.size()) {
            throw new IllegalArgumentException("smoke test: " + rows.size() + " rows but " + expected.size()
                    + " expected outputs; give one expected label per row");
        }
        if (minAgreement < 0 || minAgreement > 1) {
            throw new IllegalArgumentException("smoke test: minAgreement must be in [0, 1], got " + minAgreement);
        }
    }

    public static SmokeSpec readinessOnly() {
        return new SmokeSpec(null, null, null, null, null);
    }
}
