package dev.mlops.engine.report;

/**
 * One row of a report: which check, on what ({@code subject}: a metric, a column, a slice), the candidate value,
 * the baseline value and their difference where they apply (null otherwise), the rule in words, the verdict, and a
 * sentence explaining it.
 */
public record Check(String name, String subject, Double candidate, Double baseline, Double delta, String rule,
                    Verdict verdict, String message) {
}
