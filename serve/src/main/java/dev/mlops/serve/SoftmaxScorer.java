package dev.mlops.serve;

import com.google.protobuf.InvalidProtocolBufferException;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.protos.ClassificationLinearSGDProto;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.util.ExpNormalizer;
import org.tribuo.math.util.VectorNormalizer;
import org.tribuo.transform.TransformedModel;
import org.tribuo.transform.Transformer;
import org.tribuo.transform.TransformerMap;

import java.util.List;

/**
 * The single-row hot path for Tribuo's {@link LinearSGDModel} with a softmax ({@link ExpNormalizer}) output, bare or
 * inside a {@link TransformedModel}: what {@code logistic} (the engine's multinomial L-BFGS fit) and {@code sgd} train.
 *
 * <p>It does what Tribuo's predict does, in the same order, with Tribuo's own objects where there is a choice:
 * {@code TransformerMap.transformExample} applies each feature's {@link Transformer}s in list order (the same
 * Transformer instances are called here); {@code DenseVector.createDenseVector} places each value at its feature id
 * and 1.0 last for the bias; {@code DenseMatrix.leftMultiply} sums {@code w[i][j] * x[j]} from 0.0 for j in id order
 * (the same sum, in the same order, here: Java evaluates double arithmetic strictly and HotSpot neither reorders nor
 * fuses it); the model's own normalizer turns the scores into probabilities; the first id with the highest
 * probability is the label. So the answer is Tribuo's bit for bit (LinearScorerTest), with no {@code ArrayExample}
 * (copied twice and sorted by name), feature-map lookups, vectors or {@code Prediction} per request.
 */
final class SoftmaxScorer extends LinearScorer {
    /** Per feature id, the input (index into the request row) it reads. */
    private final int[] inputOf;
    /** Per feature id, the model's transformers for it, in order (none when the feature is not standardised). */
    private final Transformer[][] transformers;
    /** Per output id, the weight of each feature id and the bias last. */
    private final double[][] weights;
    private final VectorNormalizer normalizer;
    /** Per output id, the index of its label in the schema's label list. */
    private final int[] schemaLabel;
    private final PerThread<double[][]> scratch;

    private SoftmaxScorer(int[] inputOf, Transformer[][] transformers, double[][] weights, VectorNormalizer normalizer,
                          int[] schemaLabel) {
        this.inputOf = inputOf;
        this.transformers = transformers;
        this.weights = weights;
        this.normalizer = normalizer;
        this.schemaLabel = schemaLabel;
        int width = inputOf.length + 1;
        this.scratch = new PerThread<>(() -> {
            double[] x = new double[width];
            x[width - 1] = 1.0;
            return new double[][]{x, new double[schemaLabel.length]};
        });
    }

    /** A scorer for this model, or null when it is not a softmax linear SGD model over these inputs. */
    static SoftmaxScorer of(Model<Label> model, String[] inputNames, List<String> schemaLabels) {
        TransformerMap map = null;
        Model<Label> inner = model;
        if (model instanceof TransformedModel<Label> tm) {
            map = tm.getTransformerMap();
            inner = tm.getInnerModel();
        }
        if (!(inner instanceof LinearSGDModel lm) || !lm.generatesProbabilities()) {
            return null;
        }
        VectorNormalizer normalizer;
        try {
            normalizer = VectorNormalizer.deserialize(lm.serialize().getSerializedData()
                    .unpack(ClassificationLinearSGDProto.class).getNormalizer());
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            return null;
        }
        if (!(normalizer instanceof ExpNormalizer)) {
            return null;
        }
        ImmutableFeatureMap features = lm.getFeatureIDMap();
        ImmutableOutputInfo<Label> outputs = lm.getOutputIDInfo();
        DenseMatrix w = lm.getWeightsCopy();
        int n = features.size();
        if (w.getDimension1Size() != outputs.size() || w.getDimension2Size() != n + 1) {
            return null; // not one row per output with a bias column: not the model this path knows
        }
        int[] inputOf = new int[n];
        Transformer[][] transformers = new Transformer[n][];
        for (int id = 0; id < n; id++) {
            String name = features.get(id).getName();
            inputOf[id] = indexOf(inputNames, name);
            if (inputOf[id] < 0) {
                return null; // a feature the request does not carry: let the general path decide
            }
            List<Transformer> list = map == null ? null : map.get(name);
            transformers[id] = list == null ? new Transformer[0] : list.toArray(new Transformer[0]);
        }
        double[][] weights = new double[outputs.size()][];
        int[] schemaLabel = new int[outputs.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = w.getRow(i).toArray();
            schemaLabel[i] = schemaLabels.indexOf(outputs.getOutput(i).getLabel());
            if (schemaLabel[i] < 0) {
                return null;
            }
        }
        return new SoftmaxScorer(inputOf, transformers, weights, normalizer, schemaLabel);
    }

    private static int indexOf(String[] names, String name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    int score(double[] values, double[] probabilities) {
        double[][] t = scratch.get();
        double[] x = t[0];
        double[] z = t[1];
        for (int j = 0; j < inputOf.length; j++) {
            double v = values[inputOf[j]];
            for (Transformer tr : transformers[j]) {
                v = tr.transform(v);
            }
            x[j] = v;
        }
        for (int i = 0; i < z.length; i++) {
            double[] wi = weights[i];
            double s = 0.0;
            for (int j = 0; j < x.length; j++) {
                s += wi[j] * x[j];
            }
            z[i] = s;
        }
        normalizer.normalizeInPlace(z);
        int best = -1;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < z.length; i++) {
            probabilities[schemaLabel[i]] = z[i];
            if (z[i] > max) {
                max = z[i];
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
