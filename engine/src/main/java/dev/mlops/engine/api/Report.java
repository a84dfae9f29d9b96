package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mlops.engine.report.Check;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.ReportWriters;
import dev.mlops.engine.report.Verdict;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A data-check or gate report as results carry it; the same fields as {@code reports/*.json}: title, verdict, counts
 * per verdict, context lines (baseline used, data file, ...) and one row per check. Non-finite numbers are null.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"title", "passed", "counts", "context", "checks"})
public record Report(String title, boolean passed, Counts counts, Map<String, String> context, List<Row> checks)
        implements Serializable {
    public Report {
        context = Results.map(context);
        checks = Results.list(checks);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"total", "pass", "warn", "fail", "skip"})
    public record Counts(int total, int pass, int warn, int fail, int skip) implements Serializable {
    }

    /** {@code verdict}: PASS, WARN, FAIL or SKIP. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"name", "subject", "candidate", "baseline", "delta", "rule", "verdict", "message"})
    public record Row(String name, String subject, Double candidate, Double baseline, Double delta, String rule,
                      String verdict, String message) implements Serializable {
    }

    static Report of(CheckReport r) {
        if (r == null) {
            return null;
        }
        int[] n = new int[Verdict.values().length];
        List<Row> rows = r.checks().stream().map(c -> {
            if (c.verdict() != null) {
                n[c.verdict().ordinal()]++;
            }
            return new Row(c.name(), c.subject(), Results.finite(c.candidate()), Results.finite(c.baseline()),
                    Results.finite(c.delta()), c.rule(), c.verdict() == null ? null : c.verdict().name(), c.message());
        }).toList();
        Counts counts = new Counts(rows.size(), n[Verdict.PASS.ordinal()], n[Verdict.WARN.ordinal()],
                n[Verdict.FAIL.ordinal()], n[Verdict.SKIP.ordinal()]);
        return new Report(r.title(), r.passed(), counts, r.context(), rows);
    }

    /** The rows that failed. */
    public List<Row> failures() {
        return checks.stream().filter(c -> "FAIL".equals(c.verdict())).toList();
    }

    /** For a terminal: the aligned table with failures and warnings spelled out (what {@code mlops gate} prints). */
    public String text() {
        List<Check> rows = checks.stream().map(c -> new Check(c.name(), c.subject(), c.candidate(), c.baseline(),
                c.delta(), c.rule(), c.verdict() == null ? null : Verdict.valueOf(c.verdict().toUpperCase(Locale.ROOT)),
                c.message())).toList();
        return ReportWriters.text(new CheckReport(title, rows, context));
    }
}
