package dev.mlops.engine.evaluate;

import java.util.List;
import java.util.Map;
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

    /**
     * Per-class metrics are named {@code precision.<class>}, {@code recall.<class>}, {@code f1.<class>}, the class
     * spelt by {@link #metricLabel} (which keeps spaces, as MLflow does).
     */
    private static final Pattern PER_CLASS = Pattern.compile("(precision|recall|f1)\\.(.+)");

    /** Longest per-class prefix ("precision."): what is left of MLflow's 250 characters for the class. */
    private static final int MAX_METRIC_LABEL = 250 - "precision.".length();

    /** Characters MLflow refuses in metric names that have a readable spelling; two-character ones first. */
    private static final List<Map.Entry<String, String>> SPELLED = List.of(Map.entry("<=", "le"),
            Map.entry(">=", "ge"), Map.entry("!=", "ne"), Map.entry("<", "lt"), Map.entry(">", "gt"),
            Map.entry("=", "eq"));

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
        String l = metricLabel(label);
        return List.of("precision." + l, "recall." + l, "f1." + l);
    }

    /** One per-class metric name: {@code perClass("f1", "<=50K")} is {@code f1.le50K}. */
    public static String perClass(String metric, String label) {
        return metric + "." + metricLabel(label);
    }

    /**
     * How a class is spelt in per-class metric names. MLflow refuses metric names with characters other than letters,
     * digits, '_', '-', '.', ' ', ':' and '/' (mlflow/utils/validation.py), so a class such as UCI Adult's
     * {@code <=50K} is respelt: {@code <=} le, {@code >=} ge, {@code !=} ne, {@code <} lt, {@code >} gt, {@code =} eq,
     * and every other refused character, and ':' and '/' too, becomes '_' (':' is refused by MLflow on Windows and
     * before 2.16; '/' would make folders of a metric). A class made only of allowed characters keeps its name:
     * {@code <=50K} is {@code le50K}, {@code >50K} is {@code gt50K}, {@code yes} is {@code yes}.
     */
    public static String metricLabel(String label) {
        StringBuilder out = new StringBuilder(label.length());
        int i = 0;
        next:
        while (i < label.length()) {
            for (Map.Entry<String, String> s : SPELLED) {
                if (label.startsWith(s.getKey(), i)) {
                    out.append(s.getValue());
                    i += s.getKey().length();
                    continue next;
                }
            }
            int cp = label.codePointAt(i);
            boolean kept = Character.isLetter(cp) || isNumber(cp) || cp == '_' || cp == '-' || cp == '.' || cp == ' ';
            out.appendCodePoint(kept ? cp : '_');
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    private static boolean isNumber(int cp) {
        int t = Character.getType(cp);
        return t == Character.DECIMAL_DIGIT_NUMBER || t == Character.LETTER_NUMBER || t == Character.OTHER_NUMBER;
    }

    /**
     * The class spelling a per-class metric name is about ("f1.yes" gives "yes", "f1.le50K" gives "le50K"), or empty
     * for other names; compare it with {@link #metricLabel} of the data's classes.
     */
    public static Optional<String> classOf(String metric) {
        return PER_CLASS.matcher(metric).matches() ? Optional.of(metric.substring(metric.indexOf('.') + 1))
                : Optional.empty();
    }

    /**
     * The right name for a per-class metric spelt with the class as it is in the data ("f1.&lt;=50K" gives
     * "f1.le50K"), or empty when {@code metric} is not such a name.
     */
    public static Optional<String> respelled(String metric, List<String> labels) {
        Optional<String> cls = classOf(metric);
        if (cls.isEmpty() || !labels.contains(cls.get()) || metricLabel(cls.get()).equals(cls.get())) {
            return Optional.empty();
        }
        return Optional.of(perClass(metric.substring(0, metric.indexOf('.')), cls.get()));
    }

    /** Why a label cannot name per-class metrics, or empty when it can: only a name too long for MLflow. */
    public static Optional<String> labelProblem(String label) {
        String l = metricLabel(label);
        if (l.codePointCount(0, l.length()) > MAX_METRIC_LABEL) {
            return Optional.of("is " + l.codePointCount(0, l.length()) + " characters long; per-class metric names "
                    + "(precision.<class>) must fit MLflow's 250, so a class may have at most " + MAX_METRIC_LABEL);
        }
        return Optional.empty();
    }

    /** Fairness metrics only exist when the spec names a sensitive column. */
    public static boolean isFairness(String name) {
        return name.equals(DEMOGRAPHIC_PARITY_DIFFERENCE) || name.equals(DEMOGRAPHIC_PARITY_RATIO)
                || name.equals(EQUAL_OPPORTUNITY_DIFFERENCE) || name.equals(DISPARATE_IMPACT_RATIO);
    }
}
