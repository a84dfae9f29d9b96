package dev.mlops.engine.model;

import java.util.Map;

/** One prediction: the label and, when the model produces them, class probabilities keyed by label. */
public record Scored(String label, Map<String, Double> probabilities) {
}
