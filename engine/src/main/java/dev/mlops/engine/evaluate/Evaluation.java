package dev.mlops.engine.evaluate;

import java.util.List;
import java.util.Map;

/**
 * The result of evaluating a model on labelled rows. {@code metrics} uses {@link MetricCatalog} names; a metric that
 * does not apply (ROC AUC for multiclass, log loss without probabilities, fairness without a sensitive column) is
 * absent rather than NaN, and {@code notes} says why when the reason is not obvious.
 *
 * @param confusionMatrix {@code [actual][predicted]} counts, indexed like {@code labels}
 * @param support         true rows per label, indexed like {@code labels}
 * @param fairness        per-group rates, or null when no sensitive column applies
 */
public record Evaluation(List<String> labels, String positiveClass, int rows, Map<String, Double> metrics,
                         long[][] confusionMatrix, long[] support, FairnessReport fairness, Map<String, String> notes) {

    public Evaluation {
        labels = List.copyOf(labels);
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        notes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(notes));
    }

    public Double metric(String name) {
        return metrics.get(name);
    }
}
