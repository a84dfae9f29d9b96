package dev.mlops.engine.evaluate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metric arithmetic on plain arrays, independent of Tribuo, so every formula can be checked by hand. Classes are
 * indices into a label list; {@code actual[i]} and {@code predicted[i]} are the true and predicted class of row i.
 *
 * <p>Conventions (the same as scikit-learn's defaults with {@code zero_division=0}): a precision whose denominator is
 * zero (the class is never predicted) is 0, likewise recall for a class with no rows and F1 when P + R = 0. Macro
 * averages are unweighted means over all labels; weighted averages weight each class by its number of true rows.
 */
public final class ClassificationMetrics {
    /** Probabilities are clipped to [EPS, 1 - EPS] before taking the log, so one confident mistake costs ~34.5, not infinity. */
    public static final double LOG_LOSS_EPS = 1e-15;

    private ClassificationMetrics() {
    }

    /** {@code m[a][p]}: rows whose true class is a and predicted class is p. */
    public static long[][] confusion(int classes, int[] actual, int[] predicted) {
        if (actual.length != predicted.length) {
            throw new IllegalArgumentException("actual and predicted differ in length");
        }
        long[][] m = new long[classes][classes];
        for (int i = 0; i < actual.length; i++) {
            m[actual[i]][predicted[i]]++;
        }
        return m;
    }

    /**
     * Accuracy, per-class precision/recall/F1 (named {@code precision.<label>} etc.) and their macro and weighted
     * averages, in a map with a stable order.
     */
    public static Map<String, Double> fromConfusion(List<String> labels, long[][] m) {
        int k = labels.size();
        long total = 0;
        long correct = 0;
        long[] support = new long[k];
        long[] predictedCount = new long[k];
        for (int a = 0; a < k; a++) {
            for (int p = 0; p < k; p++) {
                total += m[a][p];
                support[a] += m[a][p];
                predictedCount[p] += m[a][p];
            }
            correct += m[a][a];
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put(MetricCatalog.ACCURACY, total == 0 ? Double.NaN : (double) correct / total);
        double[] precision = new double[k];
        double[] recall = new double[k];
        double[] f1 = new double[k];
        for (int c = 0; c < k; c++) {
            long tp = m[c][c];
            precision[c] = predictedCount[c] == 0 ? 0.0 : (double) tp / predictedCount[c];
            recall[c] = support[c] == 0 ? 0.0 : (double) tp / support[c];
            f1[c] = precision[c] + recall[c] == 0 ? 0.0 : 2 * precision[c] * recall[c] / (precision[c] + recall[c]);
        }
        out.put(MetricCatalog.PRECISION_MACRO, mean(precision));
        out.put(MetricCatalog.RECALL_MACRO, mean(recall));
        out.put(MetricCatalog.F1_MACRO, mean(f1));
        out.put(MetricCatalog.PRECISION_WEIGHTED, weighted(precision, support, total));
        out.put(MetricCatalog.RECALL_WEIGHTED, weighted(recall, support, total));
        out.put(MetricCatalog.F1_WEIGHTED, weighted(f1, support, total));
        for (int c = 0; c < k; c++) {
            List<String> names = MetricCatalog.perClass(labels.get(c));
            out.put(names.get(0), precision[c]);
            out.put(names.get(1), recall[c]);
            out.put(names.get(2), f1[c]);
        }
        return out;
    }

    /**
     * ROC AUC by the rank-sum (Mann-Whitney U) formula: rank all scores ascending, tied scores share the mean of
     * their ranks, then AUC = (R+ - n+(n+ + 1)/2) / (n+ n-), where R+ is the rank sum of the positive rows. This equals
     * the probability that a random positive scores above a random negative, counting ties as one half.
     * NaN when either class is absent.
     */
    public static double rocAuc(boolean[] positive, double[] score) {
        int n = score.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(score[x], score[y]));
        double positiveRankSum = 0;
        long nPos = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
                j++;
            }
            // ranks i+1 .. j+1 (1-based) are tied: each gets their mean
            double rank = (i + 1 + j + 1) / 2.0;
            for (int t = i; t <= j; t++) {
                if (positive[order[t]]) {
                    positiveRankSum += rank;
                    nPos++;
                }
            }
            i = j + 1;
        }
        long nNeg = n - nPos;
        if (nPos == 0 || nNeg == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - nPos * (nPos + 1) / 2.0) / ((double) nPos * nNeg);
    }

    /** Mean negative log of the probability given to the true class, clipped at {@link #LOG_LOSS_EPS}. */
    public static double logLoss(int[] actual, double[][] probabilities) {
        double sum = 0;
        for (int i = 0; i < actual.length; i++) {
            double p = probabilities[i][actual[i]];
            p = Math.min(1 - LOG_LOSS_EPS, Math.max(LOG_LOSS_EPS, p));
            sum -= Math.log(p);
        }
        return sum / actual.length;
    }

    /** Nearest-rank percentile of already sorted values: the value at rank ceil(p/100 * n) (1-based). */
    public static double nearestRank(double[] sorted, double percentile) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percentile / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    private static double weighted(double[] v, long[] support, long total) {
        if (total == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int c = 0; c < v.length; c++) {
            s += v[c] * support[c];
        }
        return s / total;
    }
}
