package dev.mlops.engine.train;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.mlops.engine.Log;
import dev.mlops.engine.evaluate.Predictions;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.MutableOutputInfo;
import org.tribuo.RealInfo;
import org.tribuo.Trainer;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.provenance.DataProvenance;
import org.tribuo.provenance.DatasetProvenance;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;
import org.tribuo.transform.TransformedModel;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Logistic regression as scikit-learn's {@code LogisticRegression(solver="lbfgs")} fits it: binary for two classes,
 * multinomial (softmax) for more, L2 penalty {@code 1/C}, optional standardisation of numeric features. A Tribuo
 * {@link Trainer}: its models are stock Tribuo models ({@code TransformedModel} over a {@code LinearSGDModel} with a
 * softmax output), saved in Tribuo's protobuf format with this trainer's provenance.
 *
 * <p>Besides {@link #train(Dataset, Map)}, the engine fits straight on a table's column arrays ({@link #fit}), which
 * builds no per-row objects: that is what makes a million-row fit cost the memory of its data.
 */
public final class SoftmaxTrainer implements Trainer<Label> {
    /** scikit-learn's default is 100; converged fits here take 10-60, so 1000 only bounds a pathological one. */
    public static final int MAX_ITERATIONS = 1000;
    /** scikit-learn's {@code tol} default. */
    public static final double TOLERANCE = 1e-4;

    @Config(description = "Inverse of the L2 regularisation strength (scikit-learn's C).")
    private double c = 1.0;
    @Config(description = "Standardise numeric features to mean 0 and sd 1 (population sd) before fitting.")
    private boolean standardize = true;
    @Config(description = "Most L-BFGS iterations.")
    private int maxIterations = MAX_ITERATIONS;
    @Config(description = "Stop when the largest component of the objective's gradient is at most this.")
    private double tolerance = TOLERANCE;

    private int invocationCount;

    /** For OLCUT's configuration system. */
    @SuppressWarnings("unused")
    private SoftmaxTrainer() {
    }

    public SoftmaxTrainer(double c, boolean standardize, int maxIterations, double tolerance) {
        if (!(c > 0) || maxIterations < 1 || !(tolerance > 0)) {
            throw new IllegalArgumentException("C and tolerance must be positive and maxIterations at least 1");
        }
        this.c = c;
        this.standardize = standardize;
        this.maxIterations = maxIterations;
        this.tolerance = tolerance;
    }

    /** Trains on any Tribuo classification dataset: features absent from an example count as missing. */
    @Override
    public synchronized Model<Label> train(Dataset<Label> examples, Map<String, Provenance> runProvenance) {
        ImmutableFeatureMap fm = examples.getFeatureIDMap();
        int n = examples.size();
        String[] names = new String[fm.size()];
        double[][] cols = new double[fm.size()][n];
        for (int j = 0; j < names.length; j++) {
            names[j] = fm.get(j).getName();
            Arrays.fill(cols[j], Double.NaN);
        }
        List<String> labels = new ArrayList<>();
        for (Label l : examples.getOutputInfo().getDomain()) {
            labels.add(l.getLabel());
        }
        labels.sort(null);
        int[] klass = new int[n];
        int[] rows = new int[n];
        int i = 0;
        for (Example<Label> e : examples) {
            rows[i] = i;
            klass[i] = labels.indexOf(e.getOutput().getLabel());
            for (Feature f : e) {
                int id = fm.getID(f.getName());
                if (id >= 0) {
                    cols[id][i] = f.getValue();
                }
            }
            i++;
        }
        Fitted fitted = fit(DesignMatrix.numeric(names, cols), rows, klass, labels, Log.NONE, "fit");
        return fitted.model(examples.getProvenance(), OffsetDateTime.now(), runProvenance);
    }

    /**
     * Fits on {@code rows} of {@code x}; {@code klass[i]} is the class (index into {@code labels}) of {@code rows[i]}.
     * Progress goes to {@code log} after every iteration.
     */
    synchronized Fitted fit(DesignMatrix x, int[] rows, int[] klass, List<String> labels, Log log, String detail) {
        int d = x.features();
        DesignMatrix.Stats stats = x.stats(rows);
        double[] shift = new double[d];
        double[] scale = new double[d];
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            if (x.numeric[j] == null || !standardize) {
                scale[j] = 1;
            } else if (stats.varies(j)) {
                // A constant feature is left out: it cannot be scaled and carries nothing an intercept does not.
                shift[j] = stats.mean[j];
                scale[j] = 1 / stats.sd[j];
                mean[j] = stats.mean[j];
                sd[j] = stats.sd[j];
            }
        }
        TrainerProvenance provenance = getProvenance();
        invocationCount++;
        Softmax.Fit fit = new Softmax(x, rows, klass, labels.size(), shift, scale, c)
                .fit(maxIterations, tolerance, log, "fit", detail);
        if (!fit.converged()) {
            log.warn(detail + ": logistic regression did not converge in " + fit.iterations()
                    + " iterations (gradient above " + tolerance + "); the model is usable but may be improved "
                    + "by a smaller C or standardized features");
        }
        MutableOutputInfo<Label> info = new LabelFactory().generateInfo();
        int[] count = new int[labels.size()];
        for (int k : klass) {
            count[k]++;
        }
        for (int k = 0; k < labels.size(); k++) {
            Label l = new Label(labels.get(k));
            for (int m = 0; m < Math.max(1, count[k]); m++) {
                info.observe(l);
            }
        }
        return new Fitted(x, fit, stats, mean, sd, info.generateImmutableOutputInfo(), labels, rows.length,
                provenance);
    }

    @Override
    public int getInvocationCount() {
        return invocationCount;
    }

    @Override
    public synchronized void setInvocationCount(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("invocation count must be non-negative, got " + count);
        }
        invocationCount = count;
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "SoftmaxTrainer(C=" + c + ",standardize=" + standardize + ",maxIterations=" + maxIterations
                + ",tolerance=" + tolerance + ")";
    }

    /** One fit: its weights and everything needed to predict on arrays and to build the Tribuo model. */
    static final class Fitted {
        private final DesignMatrix x;
        private final DesignMatrix.Stats stats;
        private final double[] mean;
        private final double[] sd;
        private final ImmutableOutputInfo<Label> outputs;
        /** Per class index, its Tribuo label id. */
        private final int[] idOf;
        /** Per Tribuo label id, its class index. */
        private final int[] classOf;
        /** Per Tribuo label id, the weights of each feature id and the intercept last. */
        private final double[][] byId;
        private final int trainRows;
        private final TrainerProvenance trainer;
        final Softmax.Fit fit;

        private Fitted(DesignMatrix x, Softmax.Fit fit, DesignMatrix.Stats stats, double[] mean, double[] sd,
                       ImmutableOutputInfo<Label> outputs, List<String> labels, int trainRows,
                       TrainerProvenance trainer) {
            this.x = x;
            this.fit = fit;
            this.stats = stats;
            this.mean = mean;
            this.sd = sd;
            this.outputs = outputs;
            this.trainRows = trainRows;
            this.trainer = trainer;
            int k = labels.size();
            idOf = new int[k];
            classOf = new int[k];
            byId = new double[k][];
            for (int c = 0; c < k; c++) {
                idOf[c] = outputs.getID(new Label(labels.get(c)));
                classOf[idOf[c]] = c;
                byId[idOf[c]] = fit.weights()[c];
            }
        }

        /**
         * Predictions for {@code rows}, with the arithmetic of the Tribuo model {@link #model} builds, in the same
         * order (standardise, weights in feature-id order, intercept, softmax over label ids), so they equal its
         * predictions.
         */
        Predictions predict(int[] rows) {
            int k = byId.length;
            int d = x.features();
            int[] predicted = new int[rows.length];
            double[][] probs = new double[rows.length][];
            double[] z = new double[d];
            double[] s = new double[k];
            for (int i = 0; i < rows.length; i++) {
                int r = rows[i];
                Arrays.fill(z, 0.0);
                for (int j = 0; j < d; j++) {
                    double[] col = x.numeric[j];
                    if (col != null) {
                        double v = col[r];
                        if (v == v) {
                            z[j] = sd[j] > 0 ? (((v - mean[j]) / sd[j]) * 1.0) + 0.0 : v;
                        }
                    }
                }
                for (int cat = 0; cat < x.codes.length; cat++) {
                    int code = x.codes[cat][r];
                    if (code >= 0 && x.levelFeature[cat][code] >= 0) {
                        z[x.levelFeature[cat][code]] = 1.0;
                    }
                }
                double max = -Double.MAX_VALUE;
                for (int id = 0; id < k; id++) {
                    double[] w = byId[id];
                    double acc = 0.0;
                    for (int j = 0; j < d; j++) {
                        acc += w[j] * z[j];
                    }
                    acc += w[d] * 1.0;
                    s[id] = acc;
                    if (max < acc) {
                        max = acc;
                    }
                }
                double sum = 0.0;
                for (int id = 0; id < k; id++) {
                    s[id] = Math.exp(s[id] - max);
                    sum += s[id];
                }
                double[] p = new double[k];
                double best = Double.NEGATIVE_INFINITY;
                int bestId = 0;
                for (int id = 0; id < k; id++) {
                    double v = s[id] / sum;
                    p[classOf[id]] = v;
                    if (v > best) {
                        best = v;
                        bestId = id;
                    }
                }
                predicted[i] = classOf[bestId];
                probs[i] = p;
            }
            return new Predictions(predicted, probs);
        }

        /** The Tribuo model of this fit, trained at {@code time} on rows that came from {@code source}. */
        Model<Label> model(DataProvenance source, OffsetDateTime time, Map<String, Provenance> instance) {
            return model(TribuoLinear.datasetProvenance(source, "dev.mlops.engine.data.Table", trainRows,
                    x.features(), byId.length), time, instance);
        }

        /** The Tribuo model of this fit, trained at {@code time} on the dataset {@code data} describes. */
        Model<Label> model(DatasetProvenance data, OffsetDateTime time, Map<String, Provenance> instance) {

            List<VariableInfo> features = new ArrayList<>(x.features());
            for (int j = 0; j < x.features(); j++) {
                features.add(new RealInfo(x.names[j], (int) stats.count[j], stats.max[j], stats.min[j],
                        stats.mean[j], stats.sumSquares[j]));
            }
            boolean wrapped = false;
            for (double v : sd) {
                wrapped |= v > 0;
            }
            ModelProvenance inner = new ModelProvenance(LinearSGDModel.class.getName(), time, data, trainer, instance);
            ModelProvenance outer = wrapped
                    ? new ModelProvenance(TransformedModel.class.getName(), time, data, trainer, instance) : inner;
            return TribuoLinear.build(features, outputs, byId, mean, sd, outer, inner);
        }
    }
}
