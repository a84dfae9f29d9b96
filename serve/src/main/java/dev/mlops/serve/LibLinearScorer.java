package dev.mlops.serve;

import de.bwaldvogel.liblinear.FeatureNode;
import de.bwaldvogel.liblinear.Linear;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.liblinear.LibLinearClassificationModel;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The single-row hot path for all-numeric LibLinear logistic models (what {@code algorithm: logistic} trained before
 * it became a softmax regression; such model files are still served): the row goes from the parsed {@code double[]} straight into a reused liblinear feature array and through
 * {@link Linear#predictProbability}, the very call Tribuo's {@code LibLinearClassificationModel.predict} makes, on
 * the same nodes in the same order, so the label and probabilities are bit-for-bit Tribuo's
 * ({@code LinearScorerTest}). What it skips is the per-request scaffolding around that call: an {@code ArrayExample}
 * (copied and sorted by name), one hash lookup per feature, 31 node objects, a {@code Prediction} with a map of
 * {@code Label}s, and our own probability map. Measured in process with 30 inputs (thread CPU time): featurize
 * 0.96 µs and predict 0.61 µs became 0.09 µs together (bench/serve/README.md). Any other model, or a model whose outputs liblinear does not all know,
 * has no scorer and takes the general path.
 */
final class LibLinearScorer extends LinearScorer {
    private final de.bwaldvogel.liblinear.Model model;
    /** For each liblinear node (in feature-id order, bias last), the input it reads, or -1 for the bias. */
    private final int[] inputOf;
    private final int[] nodeIndex;
    private final double bias;
    /** For each liblinear class position, the index of its label in the schema's label list. */
    private final int[] schemaLabel;
    private final PerThread<Scratch> scratch;

    /** The liblinear input nodes (values overwritten per row) and class scores of one thread. */
    private record Scratch(FeatureNode[] nodes, double[] scores) {
    }

    private LibLinearScorer(de.bwaldvogel.liblinear.Model model, int[] inputOf, int[] nodeIndex, int[] schemaLabel) {
        this.model = model;
        this.inputOf = inputOf;
        this.nodeIndex = nodeIndex;
        this.bias = 1.0;
        this.schemaLabel = schemaLabel;
        this.scratch = new PerThread<>(() -> new Scratch(newNodes(), new double[schemaLabel.length]));
    }

    /** A scorer for this model, or null if it is not an all-numeric LibLinear probability model. */
    static LibLinearScorer of(Model<Label> tribuo, String[] inputNames, List<String> schemaLabels) {
        if (!(tribuo instanceof LibLinearClassificationModel lm) || lm.getInnerModels().size() != 1) {
            return null;
        }
        de.bwaldvogel.liblinear.Model m = lm.getInnerModels().get(0);
        ImmutableOutputInfo<Label> outputs = lm.getOutputIDInfo();
        int[] labels = m.getLabels();
        if (!m.isProbabilityModel() || labels.length != outputs.size()) {
            return null;
        }
        int[] schemaLabel = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            schemaLabel[i] = schemaLabels.indexOf(outputs.getOutput(labels[i]).getLabel());
            if (schemaLabel[i] < 0) {
                return null;
            }
        }
        // Tribuo's LibLinearTrainer.exampleToNodes: known features as (id + 1, value) in id order, then the bias.
        ImmutableFeatureMap features = lm.getFeatureIDMap();
        List<int[]> known = new ArrayList<>();
        for (int i = 0; i < inputNames.length; i++) {
            int id = features.getID(inputNames[i]);
            if (id >= 0) {
                known.add(new int[]{id, i});
            }
        }
        if (known.isEmpty()) {
            return null; // Tribuo refuses such a row; let the general path say so
        }
        known.sort(Comparator.comparingInt(a -> a[0]));
        int[] inputOf = new int[known.size() + 1];
        int[] nodeIndex = new int[known.size() + 1];
        for (int k = 0; k < known.size(); k++) {
            nodeIndex[k] = known.get(k)[0] + 1;
            inputOf[k] = known.get(k)[1];
        }
        nodeIndex[known.size()] = features.size() + 1;
        inputOf[known.size()] = -1;
        return new LibLinearScorer(m, inputOf, nodeIndex, schemaLabel);
    }

    private FeatureNode[] newNodes() {
        FeatureNode[] n = new FeatureNode[nodeIndex.length];
        for (int k = 0; k < n.length; k++) {
            n[k] = new FeatureNode(nodeIndex[k], inputOf[k] < 0 ? bias : 0.0);
        }
        return n;
    }

    @Override
    int score(double[] values, double[] probabilities) {
        Scratch t = scratch.get();
        FeatureNode[] n = t.nodes;
        for (int k = 0; k < inputOf.length - 1; k++) {
            n[k].value = values[inputOf[k]];
        }
        double[] s = t.scores;
        Linear.predictProbability(model, n, s);
        int best = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < s.length; i++) {
            probabilities[schemaLabel[i]] = s[i];
            if (s[i] > max) {
                max = s[i];
                best = schemaLabel[i];
            }
        }
        return best;
    }

    @Override
    int classes() {
        return schemaLabel.length;
    }
}
