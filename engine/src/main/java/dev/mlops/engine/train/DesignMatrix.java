package dev.mlops.engine.train;

import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A model's features read straight from a table's column arrays, with no per-row objects and no copy: numeric
 * inputs are one feature each, categorical inputs one 0/1 feature per level named {@code column=level}, exactly as
 * {@link dev.mlops.engine.model.Featurizer} names them. Features are indexed in Tribuo's order (sorted by name), so
 * index {@code j} here is feature id {@code j} of the Tribuo model built from a fit.
 */
final class DesignMatrix {
    /** Feature names in Tribuo's id order. */
    final String[] names;
    /** Per feature: the raw column of a numeric feature (NaN = missing), null for a one-hot feature. */
    final double[][] numeric;
    /** Per categorical input: the row codes (-1 = missing). */
    final int[][] codes;
    /** Per categorical input: the feature index of each level code. */
    final int[][] levelFeature;
    /** Per feature: the categorical input a one-hot feature belongs to, -1 for numeric features. */
    final int[] categoricalOf;

    private DesignMatrix(String[] names, double[][] numeric, int[][] codes, int[][] levelFeature, int[] categoricalOf) {
        this.names = names;
        this.numeric = numeric;
        this.codes = codes;
        this.levelFeature = levelFeature;
        this.categoricalOf = categoricalOf;
    }

    int features() {
        return names.length;
    }

    /** Numeric features only: {@code sortedNames[j]} holds {@code columns[j]} (NaN = missing). */
    static DesignMatrix numeric(String[] sortedNames, double[][] columns) {
        int[] categoricalOf = new int[sortedNames.length];
        Arrays.fill(categoricalOf, -1);
        return new DesignMatrix(sortedNames.clone(), columns.clone(), new int[0][], new int[0][], categoricalOf);
    }

    /** The inputs of {@code inputs} over {@code table}; categorical levels are the schema's (all levels the file had). */
    static DesignMatrix of(Table table, List<ModelSchema.Input> inputs) {
        List<String> featureNames = new ArrayList<>();
        for (ModelSchema.Input in : inputs) {
            if (in.type() == ColumnType.NUMERIC) {
                featureNames.add(in.name());
            } else {
                for (String level : in.levels()) {
                    featureNames.add(in.name() + "=" + level);
                }
            }
        }
        String[] names = featureNames.toArray(new String[0]);
        Arrays.sort(names);
        double[][] numeric = new double[names.length][];
        int[] categoricalOf = new int[names.length];
        Arrays.fill(categoricalOf, -1);
        List<int[]> codes = new ArrayList<>();
        List<int[]> levelFeature = new ArrayList<>();
        for (ModelSchema.Input in : inputs) {
            Column c = table.column(in.name());
            if (in.type() == ColumnType.NUMERIC) {
                numeric[Arrays.binarySearch(names, in.name())] = ((NumericColumn) c).values();
            } else {
                CategoricalColumn cc = (CategoricalColumn) c;
                int[] toFeature = new int[cc.levels().size()];
                for (int l = 0; l < toFeature.length; l++) {
                    int f = Arrays.binarySearch(names, in.name() + "=" + cc.levels().get(l));
                    toFeature[l] = f;
                    if (f >= 0) {
                        categoricalOf[f] = codes.size();
                    }
                }
                codes.add(cc.codes());
                levelFeature.add(toFeature);
            }
        }
        return new DesignMatrix(names, numeric, codes.toArray(new int[0][]), levelFeature.toArray(new int[0][]),
                categoricalOf);
    }

    /**
     * Per-feature statistics over {@code rows}: count of present values, mean, population standard deviation,
     * min and max. One-hot features count the rows holding their level (value 1).
     */
    Stats stats(int[] rows) {
        int d = names.length;
        Stats s = new Stats(d);
        for (int j = 0; j < d; j++) {
            double[] col = numeric[j];
            if (col == null) {
                continue;
            }
            long n = 0;
            double sum = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (int r : rows) {
                double v = col[r];
                if (v == v) {
                    n++;
                    sum += v;
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            double mean = n == 0 ? 0 : sum / n;
            double m2 = 0;
            for (int r : rows) {
                double v = col[r];
                if (v == v) {
                    double dv = v - mean;
                    m2 += dv * dv;
                }
            }
            s.count[j] = n;
            s.mean[j] = mean;
            s.sumSquares[j] = m2;
            s.sd[j] = n == 0 ? 0 : Math.sqrt(m2 / n);
            s.min[j] = n == 0 ? 0 : min;
            s.max[j] = n == 0 ? 0 : max;
        }
        for (int c = 0; c < codes.length; c++) {
            int[] code = codes[c];
            int[] toFeature = levelFeature[c];
            for (int r : rows) {
                if (code[r] >= 0) {
                    s.count[toFeature[code[r]]]++;
                }
            }
        }
        for (int j = 0; j < d; j++) {
            if (numeric[j] == null) {
                s.mean[j] = 1;
                s.min[j] = 1;
                s.max[j] = 1;
            }
        }
        return s;
    }

    /** Feature statistics, indexed like {@link #names}. */
    static final class Stats {
        final long[] count;
        final double[] mean;
        final double[] sd;
        final double[] sumSquares;
        final double[] min;
        final double[] max;

        Stats(int d) {
            count = new long[d];
            mean = new double[d];
            sd = new double[d];
            sumSquares = new double[d];
            min = new double[d];
            max = new double[d];
        }

        /** A numeric feature with at least two distinct values; only these are standardised. */
        boolean varies(int j) {
            return max[j] > min[j];
        }
    }
}
