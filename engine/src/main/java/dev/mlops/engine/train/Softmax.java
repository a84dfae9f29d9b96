package dev.mlops.engine.train;

import dev.mlops.engine.Log;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * L2-regularised logistic regression fitted by L-BFGS on a {@link DesignMatrix}: binary (one weight vector) for two
 * classes and multinomial (softmax, one vector per class) for more. The objective is scikit-learn's
 * {@code LogisticRegression(solver="lbfgs")}: mean log loss + ||W||^2 / (2 C n), intercepts unpenalised, stopping
 * when the largest gradient component is at most {@code tolerance}.
 *
 * <p>Features are standardised on the fly ({@code z = (x - mean) / sd}, missing cells 0, i.e. the mean) while the
 * column arrays are read, so a fit copies no data: it walks the table rows from the first to the last fitted row in
 * contiguous blocks (loops the JIT vectorises) and gives the rows outside the fitted set a weight of zero. The
 * fitted sets here (a training split, a fold's training part) hold most rows of their range, so little is skipped.
 * Rows are processed in a fixed number of chunks (depending only on the rows), on all cores, and the chunks'
 * partial sums are added in chunk order: the result is the same on every run and every machine.
 */
final class Softmax {
    private static final int BLOCK = 256;
    private static final int HISTORY = 10;
    private static final double ARMIJO = 1e-4;
    /** scikit-learn's ftol for L-BFGS: stop when the objective no longer moves in relative terms. */
    private static final double FTOL = 64 * Math.ulp(1.0);

    /** The fitted weights, in standardised feature space. */
    record Fit(double[][] weights, int iterations, boolean converged, double objective) {
    }

    private final DesignMatrix x;
    private final int[] rows;
    /** First table row of the range walked, and per table row of the range its class, or -1 when not fitted. */
    private final int first;
    private final int[] label;
    /** Per active feature: its column has a missing cell in the range (so the loop must test for NaN). */
    private final boolean[] gaps;
    private final int classes;
    /** Weight vectors fitted: 1 for a binary problem, one per class otherwise. */
    private final int k;
    private final int d;
    private final int stride;
    private final double[] shift;
    private final double[] scale;
    private final int[] active;
    private final boolean[] used;
    private final double lambda;
    private final int chunks;
    private final double[][] chunkGrad;
    private final double[] chunkLoss;
    private final double[][] zBuf;
    private final double[][] sBuf;
    private final int[][] fBuf;

    /**
     * @param rows    table rows to fit on
     * @param y       class (0..classes-1) of each entry of {@code rows}
     * @param shift   per feature, subtracted before scaling (the mean, or 0)
     * @param scale   per feature, multiplied after shifting (1/sd, or 1); 0 drops the feature (its weight stays 0)
     */
    Softmax(DesignMatrix x, int[] rows, int[] y, int classes, double[] shift, double[] scale, double c) {
        this.x = x;
        this.rows = rows;
        this.first = rows.length == 0 ? 0 : rows[0];
        int end = rows.length == 0 ? 0 : rows[rows.length - 1] + 1;
        this.label = new int[end - first];
        Arrays.fill(label, -1);
        for (int i = 0; i < rows.length; i++) {
            if (i > 0 && rows[i] <= rows[i - 1]) {
                throw new IllegalArgumentException("rows must be ascending and distinct");
            }
            label[rows[i] - first] = y[i];
        }
        this.classes = classes;
        this.k = classes == 2 ? 1 : classes;
        this.d = x.features();
        this.stride = d + 1;
        this.shift = shift;
        this.scale = scale;
        this.used = new boolean[d];
        int nActive = 0;
        for (int j = 0; j < d; j++) {
            used[j] = scale[j] != 0;
            if (used[j] && x.numeric[j] != null) {
                nActive++;
            }
        }
        this.active = new int[nActive];
        for (int j = 0, a = 0; j < d; j++) {
            if (used[j] && x.numeric[j] != null) {
                active[a++] = j;
            }
        }
        this.gaps = new boolean[active.length];
        for (int a = 0; a < active.length; a++) {
            double[] col = x.numeric[active[a]];
            for (int r = first; r < end && !gaps[a]; r++) {
                gaps[a] = col[r] != col[r];
            }
        }
        this.lambda = 1.0 / (c * rows.length);
        this.chunks = Math.max(1, Math.min(64, label.length / 8192));
        this.chunkGrad = new double[chunks][k * stride];
        this.chunkLoss = new double[chunks];
        this.zBuf = new double[chunks][active.length * BLOCK];
        this.sBuf = new double[chunks][k * BLOCK];
        this.fBuf = new int[chunks][x.codes.length * BLOCK];
    }

    /** Minimises the objective from zero weights; reports progress as {@code task} after every iteration. */
    Fit fit(int maxIterations, double tolerance, Log log, String task, String detail) {
        int p = k * stride;
        double[] w = new double[p];
        double[] g = new double[p];
        double f = evaluate(w, g);
        double[][] s = new double[HISTORY][];
        double[][] yy = new double[HISTORY][];
        double[] rho = new double[HISTORY];
        int stored = 0;
        int next = 0;
        double[] dir = new double[p];
        double[] wNew = new double[p];
        double[] gNew = new double[p];
        double[] alpha = new double[HISTORY];
        int it = 0;
        boolean converged = maxAbs(g) <= tolerance;
        while (!converged && it < maxIterations) {
            it++;
            // Two-loop recursion: dir = -H g.
            for (int i = 0; i < p; i++) {
                dir[i] = -g[i];
            }
            for (int m = 0; m < stored; m++) {
                int idx = Math.floorMod(next - 1 - m, HISTORY);
                alpha[idx] = rho[idx] * dot(s[idx], dir);
                axpy(-alpha[idx], yy[idx], dir);
            }
            if (stored > 0) {
                int last = Math.floorMod(next - 1, HISTORY);
                double gamma = dot(s[last], yy[last]) / dot(yy[last], yy[last]);
                for (int i = 0; i < p; i++) {
                    dir[i] *= gamma;
                }
            }
            for (int m = stored - 1; m >= 0; m--) {
                int idx = Math.floorMod(next - 1 - m, HISTORY);
                double beta = rho[idx] * dot(yy[idx], dir);
                axpy(alpha[idx] - beta, s[idx], dir);
            }
            double slope = dot(g, dir);
            if (!(slope < 0)) {
                // Not a descent direction (rounding): restart from steepest descent.
                stored = 0;
                for (int i = 0; i < p; i++) {
                    dir[i] = -g[i];
                }
                slope = -dot(g, g);
            }
            double step = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(dot(g, g))) : 1.0;
            double fNew = Double.NaN;
            boolean accepted = false;
            for (int ls = 0; ls < 50; ls++) {
                for (int i = 0; i < p; i++) {
                    wNew[i] = w[i] + step * dir[i];
                }
                fNew = evaluate(wNew, gNew);
                if (fNew <= f + ARMIJO * step * slope) {
                    accepted = true;
                    break;
                }
                // Minimiser of the quadratic through f, slope and fNew, kept within [0.1, 0.5] of the step.
                double q = -slope * step * step / (2 * (fNew - f - slope * step));
                step = Double.isFinite(q) ? Math.max(0.1 * step, Math.min(0.5 * step, q)) : 0.5 * step;
            }
            if (!accepted) {
                break;
            }
            double[] sNew = s[next] == null ? new double[p] : s[next];
            double[] yNew = yy[next] == null ? new double[p] : yy[next];
            for (int i = 0; i < p; i++) {
                sNew[i] = wNew[i] - w[i];
                yNew[i] = gNew[i] - g[i];
            }
            double sy = dot(sNew, yNew);
            if (sy > 1e-12 * dot(yNew, yNew)) {
                s[next] = sNew;
                yy[next] = yNew;
                rho[next] = 1.0 / sy;
                next = (next + 1) % HISTORY;
                stored = Math.min(stored + 1, HISTORY);
            }
            double fOld = f;
            System.arraycopy(wNew, 0, w, 0, p);
            System.arraycopy(gNew, 0, g, 0, p);
            f = fNew;
            double gMax = maxAbs(g);
            log.progress(task, it, maxIterations, String.format(Locale.ROOT, "%s: iteration %d, loss %.6f, "
                    + "gradient %.2e (stops at %.0e)", detail, it, f, gMax, tolerance));
            converged = gMax <= tolerance || (fOld - f) <= FTOL * Math.max(Math.max(Math.abs(fOld), Math.abs(f)), 1);
        }
        return new Fit(weights(w), it, converged, f);
    }

    /** Per class (0..classes-1), the weights of features 0..d-1 and the intercept last. */
    private double[][] weights(double[] w) {
        double[][] out = new double[classes][stride];
        if (k == 1) {
            System.arraycopy(w, 0, out[1], 0, stride);
        } else {
            for (int c = 0; c < classes; c++) {
                System.arraycopy(w, c * stride, out[c], 0, stride);
            }
        }
        return out;
    }

    /** The objective at {@code w}; its gradient goes to {@code grad}. */
    double evaluate(double[] w, double[] grad) {
        int n = rows.length;
        int range = label.length;
        IntStream.range(0, chunks).parallel().forEach(c -> {
            long lo = (long) range * c / chunks;
            long hi = (long) range * (c + 1) / chunks;
            chunkLoss[c] = chunk(w, (int) lo, (int) hi, chunkGrad[c], zBuf[c], sBuf[c], fBuf[c]);
        });
        Arrays.fill(grad, 0);
        double loss = 0;
        for (int c = 0; c < chunks; c++) {
            loss += chunkLoss[c];
            double[] cg = chunkGrad[c];
            for (int i = 0; i < grad.length; i++) {
                grad[i] += cg[i];
            }
        }
        double penalty = 0;
        for (int v = 0; v < k; v++) {
            int base = v * stride;
            for (int j = 0; j < d; j++) {
                double wj = w[base + j];
                penalty += wj * wj;
                grad[base + j] = used[j] ? grad[base + j] / n + lambda * wj : 0;
            }
            grad[base + d] /= n;
        }
        return loss / n + 0.5 * lambda * penalty;
    }

    /**
     * Loss summed over the fitted rows among range positions [lo, hi) (table rows first + lo ...) and its gradient
     * (unscaled) into {@code g}.
     */
    private double chunk(double[] w, int lo, int hi, double[] g, double[] z, double[] sc, int[] feat) {
        Arrays.fill(g, 0);
        double loss = 0;
        for (int pos = lo; pos < hi; pos += BLOCK) {
            int b = Math.min(BLOCK, hi - pos);
            int r0 = first + pos;
            for (int v = 0; v < k; v++) {
                Arrays.fill(sc, v * BLOCK, v * BLOCK + b, w[v * stride + d]);
            }
            for (int a = 0; a < active.length; a++) {
                int j = active[a];
                double[] col = x.numeric[j];
                double m = shift[j];
                double f = scale[j];
                int zo = a * BLOCK;
                if (gaps[a]) {
                    for (int t = 0; t < b; t++) {
                        double val = col[r0 + t];
                        z[zo + t] = val == val ? (val - m) * f : 0.0;
                    }
                } else {
                    for (int t = 0; t < b; t++) {
                        z[zo + t] = (col[r0 + t] - m) * f;
                    }
                }
                for (int v = 0; v < k; v++) {
                    double wj = w[v * stride + j];
                    int so = v * BLOCK;
                    for (int t = 0; t < b; t++) {
                        sc[so + t] += wj * z[zo + t];
                    }
                }
            }
            for (int c = 0; c < x.codes.length; c++) {
                int[] catCodes = x.codes[c];
                int[] toFeature = x.levelFeature[c];
                int fo = c * BLOCK;
                for (int t = 0; t < b; t++) {
                    int code = catCodes[r0 + t];
                    int fj = code < 0 || label[pos + t] < 0 ? -1 : toFeature[code];
                    feat[fo + t] = fj;
                    if (fj >= 0) {
                        for (int v = 0; v < k; v++) {
                            sc[v * BLOCK + t] += w[v * stride + fj];
                        }
                    }
                }
            }
            // Loss, then the residual p - [y == class] in place of the scores; 0 for rows not fitted.
            if (k == 1) {
                for (int t = 0; t < b; t++) {
                    int yy = label[pos + t];
                    if (yy < 0) {
                        sc[t] = 0;
                        continue;
                    }
                    double m = sc[t];
                    double e = Math.exp(-Math.abs(m));
                    loss += Math.max(m, 0) + Math.log(1 + e) - (yy == 1 ? m : 0);
                    double prob = m >= 0 ? 1 / (1 + e) : e / (1 + e);
                    sc[t] = prob - yy;
                }
            } else {
                for (int t = 0; t < b; t++) {
                    int yy = label[pos + t];
                    if (yy < 0) {
                        for (int v = 0; v < k; v++) {
                            sc[v * BLOCK + t] = 0;
                        }
                        continue;
                    }
                    double max = Double.NEGATIVE_INFINITY;
                    for (int v = 0; v < k; v++) {
                        max = Math.max(max, sc[v * BLOCK + t]);
                    }
                    double own = sc[yy * BLOCK + t] - max;
                    double sum = 0;
                    for (int v = 0; v < k; v++) {
                        double e = Math.exp(sc[v * BLOCK + t] - max);
                        sc[v * BLOCK + t] = e;
                        sum += e;
                    }
                    double inv = 1 / sum;
                    loss += Math.log(sum) - own;
                    for (int v = 0; v < k; v++) {
                        sc[v * BLOCK + t] = sc[v * BLOCK + t] * inv - (v == yy ? 1 : 0);
                    }
                }
            }
            for (int a = 0; a < active.length; a++) {
                int j = active[a];
                int zo = a * BLOCK;
                for (int v = 0; v < k; v++) {
                    g[v * stride + j] += dot(sc, v * BLOCK, z, zo, b);
                }
            }
            for (int v = 0; v < k; v++) {
                int so = v * BLOCK;
                double acc = 0;
                for (int t = 0; t < b; t++) {
                    acc += sc[so + t];
                }
                g[v * stride + d] += acc;
            }
            for (int c = 0; c < x.codes.length; c++) {
                int fo = c * BLOCK;
                for (int t = 0; t < b; t++) {
                    int fj = feat[fo + t];
                    if (fj >= 0) {
                        for (int v = 0; v < k; v++) {
                            g[v * stride + fj] += sc[v * BLOCK + t];
                        }
                    }
                }
            }
        }
        return loss;
    }

    /** {@code a[ao..ao+n) . b[bo..bo+n)} with four partial sums (in a fixed order, so the result is reproducible). */
    private static double dot(double[] a, int ao, double[] b, int bo, int n) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int t = 0;
        for (; t + 3 < n; t += 4) {
            s0 += a[ao + t] * b[bo + t];
            s1 += a[ao + t + 1] * b[bo + t + 1];
            s2 += a[ao + t + 2] * b[bo + t + 2];
            s3 += a[ao + t + 3] * b[bo + t + 3];
        }
        for (; t < n; t++) {
            s0 += a[ao + t] * b[bo + t];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double alpha, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += alpha * x[i];
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
