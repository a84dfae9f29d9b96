package dev.mlops.engine.evaluate;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names of every metric the evaluator can produce, and which direction is better. Gate policies are checked
 * against this list so a typo fails at load time instead of silently never matching.
 */
public final class MetricCatalog {

    public static final String ACCURACY = "accuracy";
    public static final String PRECISION_MACRO = "precision_macro";
    public static final String RECALL_MACRO = "recall_macro";
    public static final String F1_MACRO = "f1_macro";
    public static final String PRECISION_WEIGHTED = "precision_weighted";
    public static final String RECALL_WEIGHTED = "recall_weighted";
    public static final String F1_WEIGHTED = "f1_weighted";
    /** Binary only: area under the ROC curve of the positive class. */
    public static final String ROC_AUC = "roc_auc";
    public static final String LOG_LOSS = "log_loss";
    public static final String LATENCY_P50_MS = "latency_p50_ms";
    public static final String LATENCY_P95_MS = "latency_p95_ms";
    public static final String LATENCY_P99_MS = "latency_p99_ms";
    public static final String MODEL_SIZE_BYTES = "model_size_bytes";
    /** max_g SR_g - min_g SR_g (Fairlearn demographic_parity_difference). */
    public static final String DEMOGRAPHIC_PARITY_DIFFERENCE = "demographic_parity_difference";
    /** min_g SR_g / max_g SR_g (Fairlearn demographic_parity_ratio). */
    public static final String DEMOGRAPHIC_PARITY_RATIO = "demographic_parity_ratio";
    /** max_g TPR_g - min_g TPR_g. */
    public static final String EQUAL_OPPORTUNITY_DIFFERENCE = "equal_opportunity_difference";
    /**
     * Selection rate of the least-selected group over the most-selected group: the 80% rule passes at >= 0.8.
     * Numerically identical to {@link #DEMOGRAPHIC_PARITY_RATIO} (Fairlearn's name for the same min/max ratio);
     * both are reported so a policy can use either vocabulary.
     */
    public static final String DISPARATE_IMPACT_RATIO = "disparate_impact_ratio";

    public static final List<String> SCALARS = List.of(ACCURACY, PRECISION_MACRO, RECALL_MACRO, F1_MACRO,
            PRECISION_WEIGHTED, RECALL_WEIGHTED, F1_WEIGHTED, ROC_AUC, LOG_LOSS, LATENCY_P50_MS, LATENCY_P95_MS,
            LATENCY_P99_MS, MODEL_SIZE_BYTES, DEMOGRAPHIC_PARITY_DIFFERENCE, DEMOGRAPHIC_PARITY_RATIO,
            EQUAL_OPPORTUNITY_DIFFERENCE, DISPARATE_IMPACT_RATIO);

    /** Per-class metrics are named {@code precision.<class>}, {@code recall.<class>}, {@code f1.<class>}. */
    private static final Pattern PER_CLASS = Pattern.compile("(precision|recall|f1)\\.[^\\s]+");

    private static final List<String> LOWER_IS_BETTER = List.of(LOG_LOSS, LATENCY_P50_MS, LATENCY_P95_MS,
            LATENCY_P99_MS, MODEL_SIZE_BYTES, DEMOGRAPHIC_PARITY_DIFFERENCE, EQUAL_OPPORTUNITY_DIFFERENCE);

    private MetricCatalog() {
    }

    public static boolean isKnown(String name) {
        return SCALARS.contains(name) || PER_CLASS.matcher(name).matches();
    }

    /** Whether a larger value is better; empty for unknown names. */
    public static Optional<Boolean> greaterIsBetter(String name) {
        if (!isKnown(name)) {
            return Optional.empty();
        }
        return Optional.of(!LOWER_IS_BETTER.contains(name));
    }

    /** The per-class metric names of a label: precision.&lt;label&gt;, recall.&lt;label&gt;, f1.&lt;label&gt;. */
    public static List<String> perClass(String label) {
        return List.of("precision." + label, "recall." + label, "f1." + label);
    }

    /** The class a per-class metric name is about ("f1.yes" gives "yes"), or empty for other names. */
    public static Optional<String> classOf(String metric) {
        return PER_CLASS.matcher(metric).matches() ? Optional.of(metric.substring(metric.indexOf('.') + 1))
                : Optional.empty();
    }

    /**
     * Why a label cannot name per-class metrics, or empty when it can. A metric name is a file name in MLflow's
     * file store (and a path on its artifact server), so a label holding '/' or '\' would become folders, and
     * '..' would climb out of the run.
     */
    public static Optional<String> labelProblem(String label) {
        if (label.contains("/") || label.contains("\\")) {
            return Optional.of("holds '/' or '\\', which would make its metric names (" + perClass(label).get(0)
                    + ", ...) paths in the tracking store");
        }
        if (label.equals(".") || label.equals("..")) {
            return Optional.of("is '" + label + "', which cannot name a metric file");
        }
        if (label.chars().anyMatch(Character::isISOControl)) {
            return Optional.of("holds a control character (a line break or tab?)");
        }
        return Optional.empty();
    }

    /** Fairness metrics only exist when the spec names a sensitive column. */
    public static boolean isFairness(String name) {
        return name.equals(DEMOGRAPHIC_PARITY_DIFFERENCE) || name.equals(DEMOGRAPHIC_PARITY_RATIO)
                || name.equals(EQUAL_OPPORTUNITY_DIFFERENCE) || name.equals(DISPARATE_IMPACT_RATIO);
    }
}
