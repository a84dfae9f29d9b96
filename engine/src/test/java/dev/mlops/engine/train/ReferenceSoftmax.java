package dev.mlops.engine.train;

import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;

import java.util.List;

/**
 * A deliberately plain multinomial logistic regression for tests: batch gradient descent with a fixed step on
 * mean log loss + ||W||^2 / (2 C n), features standardised with the training rows' mean and population sd,
 * intercepts unpenalised. Slow and obviously right; the engine's solver must agree with it.
 */
final class ReferenceSoftmax {
    private final List<String> features;
    private final double[] mean;
    private final double[] sd;
    private final double[][] w;
    private final int classes;

    private ReferenceSoftmax(List<String> features, double[] mean, double[] sd, double[][] w) {
        this.features = features;
        this.mean = mean;
        this.sd = sd;
        this.w = w;
        this.classes = w.length;
    }

    static ReferenceSoftmax fit(Table t, List<String> features, String target, int[] rows, double c) {
        CategoricalColumn y = (CategoricalColumn) t.column(target);
        int k = y.levels().size();
        int d = features.size();
        int n = rows.length;
        double[][] z = new double[n][d];
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int j = 0; j < d; j++) {
            double[] col = ((NumericColumn) t.column(features.get(j))).values();
            for (int r : rows) {
                mean[j] += col[r] / n;
            }
            for (int r : rows) {
                sd[j] += (col[r] - mean[j]) * (col[r] - mean[j]) / n;
            }
            sd[j] = Math.sqrt(sd[j]);
            for (int i = 0; i < n; i++) {
                z[i][j] = (col[rows[i]] - mean[j]) / sd[j];
            }
        }
        // Classes are indexed by sorted label, as the engine's schema does.
        List<String> sorted = y.levels().stream().sorted().toList();
        int[] label = new int[n];
        for (int i = 0; i < n; i++) {
            label[i] = sorted.indexOf(y.levels().get(y.codes()[rows[i]]));
        }
        double lambda = 1.0 / (c * n);
        double[][] w = new double[k][d + 1];
        double[][] g = new double[k][d + 1];
        for (int it = 0; it < 20_000; it++) {
            for (double[] gk : g) {
                java.util.Arrays.fill(gk, 0);
            }
            for (int i = 0; i < n; i++) {
                double[] p = softmax(w, z[i]);
                for (int cl = 0; cl < k; cl++) {
                    double r = (p[cl] - (label[i] == cl ? 1 : 0)) / n;
                    for (int j = 0; j < d; j++) {
                        g[cl][j] += r * z[i][j];
                    }
                    g[cl][d] += r;
                }
            }
            for (int cl = 0; cl < k; cl++) {
                for (int j = 0; j < d; j++) {
                    w[cl][j] -= 0.5 * (g[cl][j] + lambda * w[cl][j]);
                }
                w[cl][d] -= 0.5 * g[cl][d];
            }
        }
        return new ReferenceSoftmax(features, mean, sd, w);
    }

    /** Per row of {@code t}, the probability of each class in sorted-label order. */
    double[][] probabilities(Table t) {
        double[][] out = new double[t.rowCount()][];
        double[] z = new double[features.size()];
        for (int r = 0; r < t.rowCount(); r++) {
            for (int j = 0; j < z.length; j++) {
                z[j] = (((NumericColumn) t.column(features.get(j))).values()[r] - mean[j]) / sd[j];
            }
            out[r] = softmax(w, z);
        }
        return out;
    }

    private static double[] softmax(double[][] w, double[] z) {
        int k = w.length;
        int d = z.length;
        double[] s = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            s[c] = w[c][d];
            for (int j = 0; j < d; j++) {
                s[c] += w[c][j] * z[j];
            }
            max = Math.max(max, s[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            s[c] = Math.exp(s[c] - max);
            sum += s[c];
        }
        for (int c = 0; c < k; c++) {
            s[c] /= sum;
        }
        return s;
    }
}
