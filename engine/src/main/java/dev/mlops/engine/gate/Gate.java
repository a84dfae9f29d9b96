package dev.mlops.engine.gate;

import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.report.Check;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.Numbers;
import dev.mlops.engine.report.Verdict;
import dev.mlops.engine.spec.GatePolicy;
import dev.mlops.engine.spec.MetricRule;
import dev.mlops.engine.spec.MissingBaseline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The release gate: compares a candidate's metrics with the policy's absolute bounds and, when a baseline exists,
 * with its change bounds. A pure function of its arguments; every bound becomes one row of the report, so a failed
 * gate always says which rule failed, by how much, and against which baseline.
 *
 * <p>Semantics (see {@link MetricRule}): min/max are inclusive unless {@code inclusive} is false; change bounds are
 * always inclusive ("a regression of 5% is tolerated" passes at exactly 5%). The improvement of a candidate is
 * {@code c - b} where greater is better and {@code b - c} otherwise; its relative form divides by {@code |b|}, and
 * with a zero baseline the relative bound is applied to the absolute difference. A metric that is absent, NaN or
 * infinite fails closed. Rows of absolute bounds also carry the baseline value and delta when the baseline has the
 * metric, so the table shows the movement next to every bound.
 */
public final class Gate {

    /**
     * Comparisons treat values within {@code EPSILON * max(1, magnitude of the compared quantities)} of a bound as
     * lying on it, so that 0.855 against "0.95 x 0.90" passes although (0.855 - 0.9) / 0.9 is -0.05000000000000004
     * in binary floating point. Far below any difference a metric can meaningfully show.
     */
    public static final double EPSILON = 1e-12;

    private Gate() {
    }

    /** The kinds of bound, named as the spec keys so a report row points straight at the line to edit. */
    private enum Bound {
        MIN("min"), MAX("max"),
        MAX_REGRESSION_ABS("maxRegressionAbs"), MAX_REGRESSION_REL("maxRegressionRel"),
        MIN_IMPROVEMENT_ABS("minImprovementAbs"), MIN_IMPROVEMENT_REL("minImprovementRel");

        final String key;

        Bound(String key) {
            this.key = key;
        }

        boolean relative() {
            return this == MAX_REGRESSION_REL || this == MIN_IMPROVEMENT_REL;
        }

        boolean regression() {
            return this == MAX_REGRESSION_ABS || this == MAX_REGRESSION_REL;
        }
    }

    public static CheckReport check(GatePolicy policy, Map<String, Double> candidate, Optional<Baseline> baseline) {
        return check(policy, candidate, Map.of(), baseline);
    }

    /**
     * As above, with the evaluator's notes ({@code metrics.json} "notes"): when a bounded metric is absent and a note
     * says why (e.g. "undefined: group B has no positive test rows"), its row quotes the note.
     */
    public static CheckReport check(GatePolicy policy, Map<String, Double> candidate, Map<String, String> notes,
                                    Optional<Baseline> baseline) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(candidate, "candidate");
        Objects.requireNonNull(notes, "notes");
        Objects.requireNonNull(baseline, "baseline");
        List<Check> rows = new ArrayList<>();
        String alias = policy.baselineAlias();
        MissingBaseline mode = policy.onMissingBaseline();

        if (baseline.isEmpty() && mode == MissingBaseline.FAIL) {
            rows.add(new Check("baseline", alias, null, null, null,
                    "a model holds alias '" + alias + "' (onMissingBaseline: fail)", Verdict.FAIL,
                    "baseline required: no model holds alias '" + alias + "' and gate.onMissingBaseline is fail; "
                            + "promote a model to '" + alias + "' first, or set onMissingBaseline to absoluteOnly "
                            + "or pass for the first release."));
        }
        if (policy.metrics().isEmpty()) {
            rows.add(new Check("policy", null, null, null, null, "at least one metric rule", Verdict.WARN,
                    "the gate policy has no metric rules, so no metric was checked; add rules under gate.metrics."));
        }
        for (Map.Entry<String, MetricRule> e : policy.metrics().entrySet()) {
            MetricRule rule = e.getValue() == null
                    ? new MetricRule(null, null, null, null, null, null, null, null) : e.getValue();
            checkMetric(e.getKey(), rule, candidate, notes.get(e.getKey()), baseline, alias, mode, rows);
        }
        return new CheckReport("Gate", rows, context(policy, baseline));
    }

    private static Map<String, String> context(GatePolicy policy, Optional<Baseline> baseline) {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("policy", summary(policy));
        ctx.put("baseline", baseline.map(Baseline::description)
                .orElse("none: no model holds alias '" + policy.baselineAlias() + "'"));
        ctx.put("onMissingBaseline", switch (policy.onMissingBaseline()) {
            case ABSOLUTE_ONLY -> "absoluteOnly: without a baseline, change bounds are skipped and absolute bounds apply";
            case PASS -> "pass: without a baseline, change bounds pass and absolute bounds apply";
            case FAIL -> "fail: without a baseline the gate fails";
        } + (baseline.isPresent() ? " (not needed: a baseline was found)" : " (in force: this is a first release)"));
        ctx.put("comparison", "delta = candidate - baseline; relative change = (candidate - baseline) / |baseline|; "
                + "values within 1e-12 of a bound (scaled up for magnitudes above 1) count as on it");
        return ctx;
    }

    private static String summary(GatePolicy policy) {
        if (policy.metrics().isEmpty()) {
            return "no metric rules";
        }
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, MetricRule> e : policy.metrics().entrySet()) {
            MetricRule r = e.getValue();
            List<String> bounds = new ArrayList<>();
            if (r != null) {
                for (Bound b : Bound.values()) {
                    Double v = value(r, b);
                    if (v != null) {
                        bounds.add(b.key + " " + Numbers.precise(v));
                    }
                }
                if (Boolean.FALSE.equals(r.inclusive()) && (r.min() != null || r.max() != null)) {
                    bounds.add("exclusive");
                }
                if (r.greaterIsBetter() != null) {
                    bounds.add(r.greaterIsBetter() ? "greater is better" : "lower is better");
                }
            }
            parts.add(e.getKey() + " (" + (bounds.isEmpty() ? "no bounds" : String.join(", ", bounds)) + ")");
        }
        return String.join("; ", parts);
    }

    private static Double value(MetricRule r, Bound b) {
        return switch (b) {
            case MIN -> r.min();
            case MAX -> r.max();
            case MAX_REGRESSION_ABS -> r.maxRegressionAbs();
            case MAX_REGRESSION_REL -> r.maxRegressionRel();
            case MIN_IMPROVEMENT_ABS -> r.minImprovementAbs();
            case MIN_IMPROVEMENT_REL -> r.minImprovementRel();
        };
    }

    private static void checkMetric(String name, MetricRule rule, Map<String, Double> candidate, String note,
                                    Optional<Baseline> baseline, String alias, MissingBaseline mode, List<Check> rows) {
        Double c = candidate.get(name);
        String candidateProblem = candidateProblem(name, c, note);
        Double b = baseline.map(bl -> bl.metrics().get(name)).orElse(null);
        boolean baselineUsable = b != null && Double.isFinite(b);
        boolean candidateUsable = candidateProblem == null;
        Double delta = candidateUsable && baselineUsable ? c - b : null;
        Double shownBaseline = baselineUsable ? b : null;
        Boolean greaterIsBetter = rule.greaterIsBetter() != null ? rule.greaterIsBetter()
                : MetricCatalog.greaterIsBetter(name).orElse(null);

        boolean anyBound = false;
        for (Bound bound : Bound.values()) {
            Double limit = value(rule, bound);
            if (limit == null) {
                continue;
            }
            anyBound = true;
            if (bound == Bound.MIN || bound == Bound.MAX) {
                String words = name + (bound == Bound.MIN ? (rule.inclusive() ? " >= " : " > ")
                        : (rule.inclusive() ? " <= " : " < ")) + Numbers.precise(limit);
                if (!candidateUsable) {
                    rows.add(new Check(bound.key, name, c, shownBaseline, null, words, Verdict.FAIL, candidateProblem));
                } else {
                    rows.add(absolute(bound, name, c, limit, rule.inclusive(), shownBaseline, delta, words));
                }
                continue;
            }
            String words = changeWords(name, bound, limit, greaterIsBetter, baselineUsable ? b : null);
            if (!candidateUsable) {
                rows.add(new Check(bound.key, name, c, shownBaseline, null, words, Verdict.FAIL, candidateProblem));
            } else if (greaterIsBetter == null) {
                rows.add(new Check(bound.key, name, c, shownBaseline, delta, words, Verdict.FAIL,
                        "'" + name + "' has no known direction, so a regression cannot be told from an improvement;"
                                + " set greaterIsBetter in its rule."));
            } else if (baseline.isEmpty()) {
                rows.add(noBaseline(bound, name, c, words, alias, mode));
            } else if (b == null) {
                rows.add(new Check(bound.key, name, c, null, null, words, Verdict.FAIL,
                        "baseline has no '" + name + "' (baseline: " + baseline.get().description()
                                + "), so this change bound cannot be checked and fails closed."));
            } else if (!baselineUsable) {
                rows.add(new Check(bound.key, name, c, b, null, words, Verdict.FAIL,
                        "baseline's '" + name + "' is " + Numbers.format(b) + " (baseline: "
                                + baseline.get().description() + "), so this change bound fails closed."));
            } else {
                rows.add(change(bound, name, c, b, limit, greaterIsBetter, words));
            }
        }
        if (!anyBound) {
            rows.add(new Check("rule", name, c, shownBaseline, delta, "no bound set",
                    candidateUsable ? Verdict.WARN : Verdict.FAIL,
                    candidateUsable ? "the rule for '" + name + "' sets no bound, so nothing was checked."
                            : candidateProblem));
        }
    }

    /** Why a candidate value cannot be gated, or null if it can. */
    private static String candidateProblem(String name, Double c, String note) {
        if (c == null) {
            if (note != null) {
                return "metric '" + name + "' is " + (note.startsWith("undefined") ? "" : "not computed: ") + note
                        + "; the gate fails closed.";
            }
            if (MetricCatalog.isFairness(name)) {
                return "metric '" + name + "' was not computed: fairness metrics exist only when data.sensitive names"
                        + " a sensitive column, and the gate fails closed without it; set data.sensitive or remove"
                        + " this rule.";
            }
            if (name.equals(MetricCatalog.ROC_AUC)) {
                return "metric '" + name + "' was not computed (ROC AUC exists for binary problems only);"
                        + " the gate fails closed.";
            }
            return "metric '" + name + "' was not computed; the gate fails closed.";
        }
        if (Double.isNaN(c)) {
            return "metric '" + name + "' is NaN (not a number); the gate fails closed.";
        }
        if (Double.isInfinite(c)) {
            return "metric '" + name + "' is " + Numbers.format(c) + "; the gate fails closed.";
        }
        return null;
    }

    private static double tolerance(double... magnitudes) {
        double m = 1.0;
        for (double v : magnitudes) {
            m = Math.max(m, Math.abs(v));
        }
        return EPSILON * m;
    }

    private static Check absolute(Bound bound, String name, double c, double limit, boolean inclusive,
                                  Double baseline, Double delta, String words) {
        double tol = tolerance(c, limit);
        boolean pass;
        String sentence;
        String cs = name + " " + Numbers.precise(c);
        String ls = Numbers.precise(limit);
        if (bound == Bound.MIN) {
            pass = inclusive ? c >= limit - tol : c > limit + tol;
            sentence = inclusive
                    ? cs + (pass ? " is at least the minimum " : " is below the minimum ") + ls + "."
                    : cs + (pass ? " is above the exclusive minimum " : " is not above the exclusive minimum ") + ls + ".";
        } else {
            pass = inclusive ? c <= limit + tol : c < limit - tol;
            sentence = inclusive
                    ? cs + (pass ? " is at most the maximum " : " is above the maximum ") + ls + "."
                    : cs + (pass ? " is below the exclusive maximum " : " is not below the exclusive maximum ") + ls + ".";
        }
        return new Check(bound.key, name, c, baseline, delta, words, pass ? Verdict.PASS : Verdict.FAIL, sentence);
    }

    private static Check noBaseline(Bound bound, String name, double c, String words, String alias,
                                    MissingBaseline mode) {
        String why = "no baseline (no model holds alias '" + alias + "'): ";
        return switch (mode) {
            case ABSOLUTE_ONLY -> new Check(bound.key, name, c, null, null, words, Verdict.SKIP,
                    why + "change bounds skipped (onMissingBaseline: absoluteOnly)");
            case PASS -> new Check(bound.key, name, c, null, null, words, Verdict.PASS,
                    why + "change bounds pass without comparison (onMissingBaseline: pass)");
            case FAIL -> new Check(bound.key, name, c, null, null, words, Verdict.SKIP,
                    why + "change bound not evaluated; the gate fails on the 'baseline' row (onMissingBaseline: fail)");
        };
    }

    /**
     * The rule in words. With a known baseline sign, the relative bound is shown as a factor of the baseline
     * ("0.95 x baseline"), which is exact for either sign because the tolerance is taken of |baseline|.
     */
    private static String changeWords(String name, Bound bound, double limit, Boolean greaterIsBetter, Double b) {
        if (greaterIsBetter == null) {
            return name + " " + bound.key + " " + Numbers.precise(limit) + " (direction unknown)";
        }
        String op = greaterIsBetter ? " >= " : " <= ";
        // +1: the bound lies on the better side of the baseline; -1: on the worse side.
        int side = bound.regression() ? -1 : 1;
        int up = greaterIsBetter ? side : -side; // direction of the bound from the baseline on the number line
        String label = bound.regression() ? "max regression " : "min improvement ";
        if (bound.relative()) {
            double factor = (b != null && b < 0) ? 1 - up * limit : 1 + up * limit;
            return name + op + Numbers.precise(factor) + " x baseline (" + label + Numbers.percent(limit) + ")";
        }
        return name + op + "baseline " + (up > 0 ? "+ " : "- ") + Numbers.precise(limit) + " (" + label
                + Numbers.precise(limit) + ")";
    }

    private static Check change(Bound bound, String name, double c, double b, double limit, boolean greaterIsBetter,
                                String words) {
        double improvement = greaterIsBetter ? c - b : b - c;
        boolean zeroBaseline = bound.relative() && b == 0.0;
        double measured = bound.relative() && !zeroBaseline ? improvement / Math.abs(b) : improvement;
        double required = bound.regression() ? -limit : limit;
        // Rounding error in c - b scales with the larger operand; dividing by |b| carries it into the ratio.
        double tol = bound.relative() && !zeroBaseline
                ? tolerance(measured, required, Math.max(Math.abs(c), Math.abs(b)) / Math.abs(b))
                : tolerance(measured, required, c, b);
        boolean pass = measured >= required - tol;

        String amount = bound.relative() && !zeroBaseline ? Numbers.percent(Math.abs(measured))
                : Numbers.precise(Math.abs(measured));
        String need = bound.relative() && !zeroBaseline ? Numbers.percent(limit) : Numbers.precise(limit);
        StringBuilder s = new StringBuilder();
        s.append(name).append(greaterIsBetter ? "" : " (lower is better)").append(' ').append(Numbers.precise(c))
                .append(" vs baseline ").append(Numbers.precise(b)).append(": ");
        String moved = improvement > 0 ? "improved by " + amount : improvement < 0 ? "worsened by " + amount : "unchanged";
        s.append(moved);
        if (bound.regression()) {
            if (improvement >= 0) {
                s.append("; regressions up to ").append(need).append(" are tolerated.");
            } else {
                s.append(pass ? ", within the tolerated " : ", more than the tolerated ").append(need).append('.');
            }
        } else if (improvement > 0) {
            s.append(pass ? ", at least the required " : ", less than the required ").append(need).append('.');
        } else {
            s.append(pass ? "; the required improvement of " + need + " is met."
                    : "; an improvement of at least " + need + " is required.");
        }
        if (zeroBaseline) {
            s.append(" The baseline is 0, so this relative bound was applied to the absolute difference.");
        }
        return new Check(bound.key, name, c, b, c - b, words, pass ? Verdict.PASS : Verdict.FAIL, s.toString());
    }

    /**
     * Problems in a policy, each "key.path: what is wrong", e.g. {@code gate.metrics.f1_macr: unknown metric ...}.
     * Empty when the policy is usable. The spec loader maps each to an InputException with the key's line.
     */
    public static List<String> validatePolicy(GatePolicy policy) {
        return policyProblems(policy).stream().map(PolicyProblem::toString).toList();
    }

    /** As {@link #validatePolicy} with the key path as segments (metric names may contain dots). */
    public static List<PolicyProblem> policyProblems(GatePolicy policy) {
        return PolicyValidator.problems(policy);
    }

    /**
     * Problems of a policy with the data's classes: a per-class metric naming a class the target does not have,
     * {@code roc_auc} or a fairness metric on a target with more than two classes. These metrics would never be
     * computed and the gate would fail after training, so this runs as soon as the data is read.
     */
    public static List<PolicyProblem> policyProblems(GatePolicy policy, List<String> labels) {
        return PolicyValidator.againstLabels(policy, labels);
    }
}
