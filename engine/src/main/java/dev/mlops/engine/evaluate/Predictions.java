package dev.mlops.engine.evaluate;

/**
 * A model's predictions for a list of rows, computed without per-row Tribuo objects.
 *
 * @param classes       the predicted class index (into the schema's labels) of each row
 * @param probabilities per row, the probability of each class in label order; null when the model gives none
 */
public record Predictions(int[] classes, double[][] probabilities) {
}
