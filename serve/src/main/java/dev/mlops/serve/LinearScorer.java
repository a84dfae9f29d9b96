package dev.mlops.serve;

import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.List;

/**
 * The single-row hot path for all-numeric linear models: the parsed {@code double[]} goes straight through the
 * model's own arithmetic, in the model's own order, so the label and probabilities are bit for bit what Tribuo's
 * {@code predict} answers (LinearScorerTest), without the per-request {@code Example}, {@code Prediction} and maps.
 * Two shapes have one: Tribuo's linear SGD model with a softmax output, bare or behind a {@code TransformedModel}
 * (what {@code logistic} and {@code sgd} train: {@link SoftmaxScorer}), and LibLinear's logistic models (what
 * {@code logistic} trained before: {@link LibLinearScorer}). Any other model has no scorer and takes the general path.
 */
abstract class LinearScorer {

    /** A scorer for this model, or null when it has neither shape. */
    static LinearScorer of(Model<Label> model, String[] inputNames, List<String> schemaLabels) {
        LinearScorer s = SoftmaxScorer.of(model, inputNames, schemaLabels);
        return s != null ? s : LibLinearScorer.of(model, inputNames, schemaLabels);
    }

    /**
     * Scores one row of finite values in input order into {@code probabilities} (indexed like the schema's labels)
     * and returns the predicted label's schema index: the first class with the highest probability, as Tribuo picks.
     */
    abstract int score(double[] values, double[] probabilities);

    /** How many classes {@link #score} writes. */
    abstract int classes();
}
