package dev.mlops.engine.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A titled list of checks plus context lines (baseline used, first-release policy, data file, ...). Data checks and
 * gates both produce one; the writers in this package render any of them as JSON, JUnit XML or Markdown.
 */
public record CheckReport(String title, List<Check> checks, Map<String, String> context) {
    public CheckReport {
        checks = List.copyOf(checks);
        context = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(context));
    }

    public boolean passed() {
        return checks.stream().noneMatch(c -> c.verdict() == Verdict.FAIL);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> c.verdict() == Verdict.FAIL).toList();
    }

    public List<Check> warnings() {
        return checks.stream().filter(c -> c.verdict() == Verdict.WARN).toList();
    }
}
