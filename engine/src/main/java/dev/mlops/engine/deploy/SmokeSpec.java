package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.CsvReader;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
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
        minAgreement = minAgreement == null ? DeployDefaults.SMOKE_MIN_AGREEMENT : minAgreement;
        latencyBudget = latencyBudget == null ? DeployDefaults.SMOKE_LATENCY_BUDGET : latencyBudget;
        timeout = timeout == null ? DeployDefaults.SMOKE_TIMEOUT : timeout;
        if (!expected.isEmpty() && expected.size() != rows.size()) {
            throw new InputException("smoke test: " + rows.size() + " rows but " + expected.size()
                    + " expected outputs; give one expected label per row");
        }
        if (minAgreement < 0 || minAgreement > 1) {
            throw new InputException("smoke test: minAgreement must be in [0, 1], got " + minAgreement);
        }
    }

    /**
     * Reads sample rows from a CSV with a header (the same reader and errors as training data): every column but
     * the last is a numeric feature in the model's input order, the last is the expected label.
     */
    public static SmokeSpec fromCsv(Path file, Double minAgreement, Duration latencyBudget, Duration timeout) {
        Table t = CsvReader.read(file, Map.of(), Log.NONE);
        java.util.List<Column> cols = t.columns();
        if (cols.size() < 2) {
            throw new InputException(file + ": smoke samples need feature columns and an expected label as the last column");
        }
        java.util.List<List<Double>> rows = new ArrayList<>(t.rowCount());
        java.util.List<String> expected = new ArrayList<>(t.rowCount());
        for (int r = 0; r < t.rowCount(); r++) {
            java.util.List<Double> row = new ArrayList<>(cols.size() - 1);
            for (Column c : cols.subList(0, cols.size() - 1)) {
                if (!(c instanceof NumericColumn n)) {
                    throw new InputException(file + ": smoke sample column '" + c.name() + "' must be numeric");
                }
                if (n.isMissing(r)) {
                    throw new InputException(file + ": row " + (r + 1) + ", column '" + c.name() + "' is empty");
                }
                row.add(n.get(r));
            }
            String label = cols.get(cols.size() - 1).text(r);
            if (label == null) {
                throw new InputException(file + ": row " + (r + 1) + " has no expected label in '" + cols.get(cols.size() - 1).name() + "'");
            }
            rows.add(row);
            expected.add(label);
        }
        return new SmokeSpec(rows, expected, minAgreement, latencyBudget, timeout);
    }

    public static SmokeSpec readinessOnly() {
        return new SmokeSpec(null, null, null, null, null);
    }
}
