package dev.mlops.engine.gate;

import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.spec.GatePolicy;
import dev.mlops.engine.spec.MetricRule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Load-time checks of a gate policy, so a typo or an impossible bound fails before any training is spent. */
final class PolicyValidator {
    private static final String KNOWN = String.join(", ", MetricCatalog.SCALARS)
            + ", precision.<class>, recall.<class>, f1.<class>";
    private static final String BOUND_KEYS =
            "min, max, maxRegressionAbs, maxRegressionRel, minImprovementAbs, minImprovementRel";

    private PolicyValidator() {
    }

    static List<PolicyProblem> problems(GatePolicy policy) {
        List<PolicyProblem> out = new ArrayList<>();
        if (policy.baselineAlias().isBlank()) {
            out.add(new PolicyProblem(List.of("gate", "baselineAlias"), "must not be empty"));
        }
        for (Map.Entry<String, MetricRule> e : policy.metrics().entrySet()) {
            String name = e.getKey() == null ? "" : e.getKey();
            MetricRule r = e.getValue();
            List<String> at = List.of("gate", "metrics", name);
            if (name.isBlank()) {
                out.add(new PolicyProblem(at, "empty metric name; known metrics: " + KNOWN));
            } else if (!MetricCatalog.isKnown(name)) {
                String hint = suggestion(name).map(s -> " (did you mean '" + s + "'?)").orElse("");
                out.add(new PolicyProblem(at, "unknown metric '" + name + "'" + hint + "; known metrics: " + KNOWN));
            }
            if (r == null || (r.min() == null && r.max() == null && !r.hasChangeBounds())) {
                out.add(new PolicyProblem(at, "no bound set; give at least one of " + BOUND_KEYS));
                continue;
            }
            finite(out, at, "min", r.min());
            finite(out, at, "max", r.max());
            tolerance(out, at, "maxRegressionAbs", r.maxRegressionAbs(),
                    "give the tolerated regression as a positive size");
            tolerance(out, at, "maxRegressionRel", r.maxRegressionRel(),
                    "give the tolerated regression as a positive fraction (0.05 = 5%)");
            tolerance(out, at, "minImprovementAbs", r.minImprovementAbs(),
                    "to tolerate a regression use maxRegressionAbs instead");
            tolerance(out, at, "minImprovementRel", r.minImprovementRel(),
                    "to tolerate a regression use maxRegressionRel instead");
            if (r.min() != null && r.max() != null && Double.isFinite(r.min()) && Double.isFinite(r.max())) {
                if (r.min() > r.max()) {
                    out.add(new PolicyProblem(at, "min " + num(r.min()) + " is greater than max " + num(r.max())));
                } else if (r.min().equals(r.max()) && !r.inclusive()) {
                    out.add(new PolicyProblem(at, "min and max are both " + num(r.min())
                            + " with inclusive: false, so no value can pass"));
                }
            }
        }
        return out;
    }

    static List<PolicyProblem> againstLabels(GatePolicy policy, List<String> labels) {
        List<PolicyProblem> out = new ArrayList<>();
        for (String name : policy.metrics().keySet()) {
            if (name == null) {
                continue;
            }
            List<String> at = List.of("gate", "metrics", name);
            java.util.Optional<String> cls = MetricCatalog.classOf(name);
            java.util.Optional<String> respelled = MetricCatalog.respelled(name, labels);
            if (respelled.isPresent()) {
                out.add(new PolicyProblem(at, "per-class metrics spell the class '" + cls.get() + "' as in '"
                        + respelled.get() + "' (MLflow refuses some characters in metric names); use that name"));
            } else if (cls.isPresent() && labels.stream().map(MetricCatalog::metricLabel).noneMatch(cls.get()::equals)) {
                String prefix = name.substring(0, name.indexOf('.'));
                out.add(new PolicyProblem(at, "no class '" + cls.get() + "' in the data; the target's classes are "
                        + labels + ", so the valid names are " + String.join(", ",
                        labels.stream().map(l -> MetricCatalog.perClass(prefix, l)).toList())));
            } else if (labels.size() > 2 && (name.equals(MetricCatalog.ROC_AUC) || MetricCatalog.isFairness(name))) {
                out.add(new PolicyProblem(at, "'" + name + "' is defined for binary targets only; this target has "
                        + labels.size() + " classes " + labels));
            }
        }
        return out;
    }

    private static String num(double v) {
        return dev.mlops.engine.report.Numbers.precise(v);
    }

    private static List<String> child(List<String> at, String key) {
        List<String> p = new ArrayList<>(at);
        p.add(key);
        return p;
    }

    private static boolean finite(List<PolicyProblem> out, List<String> at, String key, Double v) {
        if (v != null && !Double.isFinite(v)) {
            out.add(new PolicyProblem(child(at, key), "must be a finite number, got " + num(v)));
            return false;
        }
        return true;
    }

    private static void tolerance(List<PolicyProblem> out, List<String> at, String key, Double v, String advice) {
        if (finite(out, at, key, v) && v != null && v < 0) {
            out.add(new PolicyProblem(child(at, key), key + " " + num(v) + " is negative; " + advice));
        }
    }

    /** The closest catalog name, if it is close enough to be a plausible typo. */
    static java.util.Optional<String> suggestion(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String known : MetricCatalog.SCALARS) {
            int d = distance(lower, known);
            if (d < bestDistance) {
                bestDistance = d;
                best = known;
            }
        }
        int dot = lower.indexOf('.');
        if (dot > 0) {
            // A per-class name with a misspelt prefix: "recal.yes" -> "recall.yes".
            String cls = name.substring(dot + 1);
            for (String prefix : List.of("precision", "recall", "f1")) {
                int d = distance(lower.substring(0, dot), prefix);
                if (!cls.isBlank() && d < bestDistance) {
                    bestDistance = d;
                    best = prefix + "." + cls;
                }
            }
        }
        int allowed = Math.max(2, name.length() / 3);
        return bestDistance <= allowed ? java.util.Optional.of(best) : java.util.Optional.empty();
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
