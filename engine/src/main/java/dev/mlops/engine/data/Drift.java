package dev.mlops.engine.data;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Distribution-shift statistics between a reference sample and a current sample. Pure functions: inputs are not
 * modified; NaN values (missing cells) are ignored.
 */
public final class Drift {
    /**
     * The share used in place of an empty bin (reference or current) so that ln(current/reference) stays finite.
     * 1e-4 is the value Evidently uses for the same purpose; with it one bin that is empty on one side and holds
     * share s on the other contributes s * ln(s / 1e-4), e.g. 0.1 * ln(1000) = 0.69, already far above the 0.25 fail
     * threshold, while an empty bin on both sides contributes 0.
     */
    public static final double EMPTY_BIN_SHARE = 1e-4;

    private Drift() {
    }

    /** Two-sample Kolmogorov-Smirnov result: the largest gap D between the empirical CDFs and its p-value. */
    public record KsResult(double statistic, double pValue) {
    }

    /**
     * Population stability index of {@code current} against {@code reference}: sum over bins of
     * (c - r) * ln(c / r) with r, c the shares of each sample in the bin. Bins are {@code bins} quantile bins of the
     * reference: the upper edge of bin k (k = 1 .. bins-1) is the reference's (k/bins)-quantile
     * (the smallest value with at least k/bins of the sample at or below it); bins are closed on the right and
     * repeated edges are merged, so a column with few distinct values gets fewer bins. Values above the last edge fall
     * in the last bin, so the current sample's outliers are counted.
     */
    public static double psi(double[] reference, double[] current, int bins) {
        return psiSorted(sortedFinite(reference), sortedFinite(current), bins);
    }

    /** {@link #psi} on samples already passed through {@link #sortedFinite}. */
    static double psiSorted(double[] ref, double[] cur, int bins) {
        if (bins < 1) {
            throw new IllegalArgumentException("bins must be at least 1, got " + bins);
        }
        if (ref.length == 0 || cur.length == 0) {
            return Double.NaN;
        }
        double[] edges = new double[bins - 1];
        int m = 0;
        for (int k = 1; k < bins; k++) {
            int idx = (int) Math.ceil((double) k * ref.length / bins) - 1;
            double edge = ref[Math.max(0, idx)];
            if (m == 0 || edge > edges[m - 1]) {
                edges[m++] = edge;
            }
        }
        edges = Arrays.copyOf(edges, m);
        long[] refCounts = binCounts(ref, edges);
        long[] curCounts = binCounts(cur, edges);
        double sum = 0;
        for (int i = 0; i < refCounts.length; i++) {
            sum += term((double) refCounts[i] / ref.length, (double) curCounts[i] / cur.length);
        }
        return sum;
    }

    /**
     * PSI over categories: one bin per distinct value seen in either sample (null = missing, ignored). A category
     * absent from one side gets {@link #EMPTY_BIN_SHARE}.
     */
    public static double psiCategorical(String[] reference, String[] current) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        long nRef = 0;
        long nCur = 0;
        for (String s : reference) {
            if (s != null) {
                counts.computeIfAbsent(s, k -> new long[2])[0]++;
                nRef++;
            }
        }
        for (String s : current) {
            if (s != null) {
                counts.computeIfAbsent(s, k -> new long[2])[1]++;
                nCur++;
            }
        }
        if (nRef == 0 || nCur == 0) {
            return Double.NaN;
        }
        double sum = 0;
        for (long[] c : counts.values()) {
            sum += term((double) c[0] / nRef, (double) c[1] / nCur);
        }
        return sum;
    }

    /**
     * Two-sample Kolmogorov-Smirnov test. D = max over x of |F_a(x) - F_b(x)|; the p-value is the asymptotic one,
     * Q_KS(D * sqrt(n m / (n + m))) with Q_KS the survival function of the Kolmogorov distribution (scipy:
     * {@code kstwobign.sf}). Exact only as both samples grow; an approximation for a few dozen rows.
     */
    public static KsResult ks(double[] a, double[] b) {
        return ksSorted(sortedFinite(a), sortedFinite(b));
    }

    /** {@link #ks} on samples already passed through {@link #sortedFinite}. */
    static KsResult ksSorted(double[] x, double[] y) {
        int n = x.length;
        int m = y.length;
        if (n == 0 || m == 0) {
            return new KsResult(Double.NaN, Double.NaN);
        }
        int i = 0;
        int j = 0;
        double d = 0;
        while (i < n && j < m) {
            double v = Math.min(x[i], y[j]);
            while (i < n && x[i] <= v) {
                i++;
            }
            while (j < m && y[j] <= v) {
                j++;
            }
            d = Math.max(d, Math.abs((double) i / n - (double) j / m));
        }
        double lambda = d * Math.sqrt((double) n * m / (n + m));
        return new KsResult(d, kolmogorovSurvival(lambda));
    }

    /**
     * P(K > lambda) for the Kolmogorov distribution. For lambda >= 1 the alternating series
     * 2 sum (-1)^(j-1) exp(-2 j^2 lambda^2) converges in a few terms; below that the theta-function form
     * 1 - sqrt(2 pi)/lambda sum exp(-(2j-1)^2 pi^2 / (8 lambda^2)) does.
     */
    static double kolmogorovSurvival(double lambda) {
        if (lambda <= 0) {
            return 1.0;
        }
        if (lambda < 1.0) {
            double sum = 0;
            double f = -Math.PI * Math.PI / (8 * lambda * lambda);
            for (int j = 1; j <= 50; j++) {
                double k = 2 * j - 1;
                double t = Math.exp(f * k * k);
                sum += t;
                if (t < 1e-17 * sum) {
                    break;
                }
            }
            return Math.min(1.0, Math.max(0.0, 1 - Math.sqrt(2 * Math.PI) / lambda * sum));
        }
        double sum = 0;
        double sign = 1;
        for (int j = 1; j <= 100; j++) {
            double t = Math.exp(-2.0 * j * j * lambda * lambda);
            sum += sign * t;
            if (t < 1e-17) {
                break;
            }
            sign = -sign;
        }
        return Math.min(1.0, Math.max(0.0, 2 * sum));
    }

    private static double term(double r, double c) {
        if (r == 0 && c == 0) {
            return 0;
        }
        double rr = r == 0 ? EMPTY_BIN_SHARE : r;
        double cc = c == 0 ? EMPTY_BIN_SHARE : c;
        return (cc - rr) * Math.log(cc / rr);
    }

    private static long[] binCounts(double[] sorted, double[] edges) {
        long[] counts = new long[edges.length + 1];
        int bin = 0;
        for (double v : sorted) {
            while (bin < edges.length && v > edges[bin]) {
                bin++;
            }
            counts[bin]++;
        }
        return counts;
    }

    /** A sorted copy without NaN (missing) values. Large samples sort on the common fork-join pool. */
    static double[] sortedFinite(double[] values) {
        double[] out = new double[values.length];
        int n = 0;
        for (double v : values) {
            if (!Double.isNaN(v)) {
                out[n++] = v;
            }
        }
        out = n == out.length ? out : Arrays.copyOf(out, n);
        if (n > 100_000) {
            Arrays.parallelSort(out);
        } else {
            Arrays.sort(out);
        }
        return out;
    }
}
