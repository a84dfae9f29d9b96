package dev.mlops.engine.train;

import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic tables whose best achievable accuracy is known from how they are built. */
final class Synthetic {
    private Synthetic() {
    }

    /**
     * Two Gaussian blobs (sd 1) centred at (-2,-2) and (+2,+2) in (x0, x1), plus a pure-noise x2. The centres are
     * 4*sqrt(2) = 5.66 sd apart, so the Bayes error is P(Z > 2.83) = 0.23%: any sensible classifier should get well
     * above 90% right. Classes alternate, so they are exactly balanced.
     */
    static Table blobs2(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x0 = new double[n];
        double[] x1 = new double[n];
        double[] x2 = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 2;
            double c = y[i] == 1 ? 2 : -2;
            x0[i] = c + rnd.nextGaussian();
            x1[i] = c + rnd.nextGaussian();
            x2[i] = rnd.nextGaussian();
        }
        return new Table("blobs2", List.of(new NumericColumn("x0", x0), new NumericColumn("x1", x1),
                new NumericColumn("x2", x2), new CategoricalColumn("y", y, List.of("neg", "pos"))));
    }

    /**
     * Three blobs (sd 1) centred at (0,0), (6,0), (0,6): each pair of centres is at least 6 sd apart, so a point is
     * misclassified only beyond 3 sd towards another centre (< 0.3% per pair): accuracy should be far above 90%.
     */
    static Table blobs3(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x0 = new double[n];
        double[] x1 = new double[n];
        int[] y = new int[n];
        double[][] centre = {{0, 0}, {6, 0}, {0, 6}};
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            x0[i] = centre[y[i]][0] + rnd.nextGaussian();
            x1[i] = centre[y[i]][1] + rnd.nextGaussian();
        }
        return new Table("blobs3", List.of(new NumericColumn("x0", x0), new NumericColumn("x1", x1),
                new CategoricalColumn("y", y, List.of("a", "b", "c"))));
    }

    /**
     * XOR of the signs of x0 and x1 (uniform in [-1,1]^2, with a 0.1 margin around the axes). One split can only
     * cut one axis, so a depth-1 tree is right about half the time; a depth-2 tree can be exact.
     */
    static Table xor(int n, long seed) {
        Random rnd = new Random(seed);
        double[] x0 = new double[n];
        double[] x1 = new double[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x0[i] = away(rnd);
            x1[i] = away(rnd);
            y[i] = (x0[i] > 0) ^ (x1[i] > 0) ? 1 : 0;
        }
        return new Table("xor", List.of(new NumericColumn("x0", x0), new NumericColumn("x1", x1),
                new CategoricalColumn("y", y, List.of("no", "yes"))));
    }

    private static double away(Random rnd) {
        double v = 0.1 + 0.9 * rnd.nextDouble();
        return rnd.nextBoolean() ? v : -v;
    }

    /** A copy of {@code t} with one column replaced or appended. */
    static Table with(Table t, Column c) {
        List<Column> cols = new ArrayList<>();
        boolean replaced = false;
        for (Column old : t.columns()) {
            if (old.name().equals(c.name())) {
                cols.add(c);
                replaced = true;
            } else {
                cols.add(old);
            }
        }
        if (!replaced) {
            cols.add(c);
        }
        return new Table(t.source(), cols);
    }
}
