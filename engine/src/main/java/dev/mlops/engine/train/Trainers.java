package dev.mlops.engine.train;

import dev.mlops.engine.InputException;
import dev.mlops.engine.spec.Algorithm;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.dtree.impurity.GiniIndex;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.classification.xgboost.XGBoostClassificationTrainer;
import org.tribuo.common.xgboost.XGBoostTrainer;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.transform.TransformTrainer;
import org.tribuo.transform.TransformationMap;
import org.tribuo.transform.transformations.MeanStdDevTransformation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named trainer configurations and their hyperparameters. A fresh trainer is built for every fit: Tribuo
 * trainers advance their random state on each call, so reusing one would make a fit depend on how many came before.
 */
public final class Trainers {
    /**
     * One tunable hyperparameter: its value when a grid leaves it out, its values in the default grid (used when the
     * spec gives no grid at all), whether it must be whole, and its bounds.
     */
    public record Param(String name, double defaultValue, List<Double> defaultGrid, boolean integer, double min,
                        boolean minExclusive, double max) {
        String check(double v) {
            if (!Double.isFinite(v)) {
                return "a finite number";
            }
            if (integer && v != Math.rint(v)) {
                return "a whole number";
            }
            if (minExclusive ? v <= min : v < min) {
                return (minExclusive ? "greater than " : "at least ") + format(min);
            }
            if (v > max) {
                return "at most " + format(max);
            }
            return null;
        }

        public String format(double v) {
            return Trainers.format(v, integer);
        }
    }

    // Default grids: a few values around each library's usual default, so the default cross-validation has
    // something to choose; at most 4 points, so a default run stays a small multiple of one fit.
    private static final Map<Algorithm, List<Param>> PARAMS = Map.of(
            Algorithm.LOGISTIC, List.of(new Param("C", 1.0, List.of(0.1, 1.0, 10.0), false, 0, true,
                    Double.MAX_VALUE)),
            Algorithm.SGD, List.of(new Param("epochs", 10, List.of(10.0), true, 1, false, 100_000),
                    new Param("learningRate", 0.1, List.of(0.01, 0.1, 1.0), false, 0, true, Double.MAX_VALUE)),
            Algorithm.CART, List.of(new Param("maxDepth", 8, List.of(4.0, 8.0, 12.0), true, 1, false, 1000),
                    new Param("minChildWeight", 5, List.of(5.0), false, 0, true, Double.MAX_VALUE)),
            Algorithm.FOREST, List.of(new Param("trees", 50, List.of(50.0), true, 1, false, 10_000),
                    new Param("maxDepth", 10, List.of(6.0, 10.0), true, 1, false, 1000)),
            Algorithm.XGBOOST, List.of(new Param("trees", 50, List.of(50.0), true, 1, false, 10_000),
                    new Param("maxDepth", 6, List.of(3.0, 6.0), true, 1, false, 1000),
                    new Param("eta", 0.3, List.of(0.1, 0.3), false, 0, true, 1.0)));

    /**
     * Threads of an XGBoost fit: a fixed count, never the machine's core count, because the model bytes must not
     * depend on the machine. With two threads, four trainings of 100,000 x 30 gave the same model file (measured, and
     * {@code ReproducibleTrainingTest} checks it on every build for small data). Two, as
     * scikit-learn's HistGradientBoosting uses on the 2-core machines we measure on: 100,000 x 30, 50 trees, 5.2 s
     * with one thread, 4.0-4.6 s with two.
     */
    static final int XGBOOST_THREADS = 2;

    private Trainers() {
    }

    /** The hyperparameters an algorithm accepts, in the order grid points are printed. */
    public static List<Param> params(Algorithm algorithm) {
        return PARAMS.get(algorithm);
    }

    /**
     * Every combination of the grid, in order: the first key varies slowest, values in the order given. An empty
     * grid (the spec gave none) is the algorithm's default grid; otherwise keys the grid leaves out take their
     * single default value. Unknown keys, empty lists and out-of-range values are input errors naming
     * {@code model.grid.<key>}.
     */
    public static List<Map<String, Double>> expandGrid(Algorithm algorithm, Map<String, List<Double>> grid) {
        List<Param> params = params(algorithm);
        List<String> allowed = params.stream().map(Param::name).toList();
        for (String key : grid.keySet()) {
            if (!allowed.contains(key)) {
                throw new InputException("model.grid." + key + ": not a hyperparameter of "
                        + algorithm.id() + "; allowed keys are " + allowed);
            }
        }
        List<Map<String, Double>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (Param p : params) {
            List<Double> values = grid.isEmpty() ? p.defaultGrid()
                    : grid.getOrDefault(p.name(), List.of(p.defaultValue()));
            if (values == null || values.isEmpty()) {
                throw new InputException("model.grid." + p.name() + ": needs at least one value");
            }
            for (Double v : values) {
                String problem = v == null ? "a number" : p.check(v);
                if (problem != null) {
                    throw new InputException("model.grid." + p.name() + ": expected " + problem + ", got " + v);
                }
            }
            List<Map<String, Double>> next = new ArrayList<>();
            for (Map<String, Double> partial : points) {
                for (Double v : values) {
                    Map<String, Double> m = new LinkedHashMap<>(partial);
                    m.put(p.name(), v);
                    next.add(m);
                }
            }
            points = next;
        }
        return points;
    }

    /**
     * A fresh trainer for one grid point. {@code featureCount} (after one-hot encoding) sizes the forest's per-split
     * feature sample; with {@code standardize}, the {@code numericFeatures} are rescaled to mean 0 and sd 1 for the
     * linear models (one-hot columns stay 0/1; {@code logistic} scales inside {@link SoftmaxTrainer}); tree models
     * need no scaling and get none.
     */
    public static Trainer<Label> create(Algorithm algorithm, Map<String, Double> point, boolean standardize,
                                        long seed, int featureCount, List<String> numericFeatures) {
        Trainer<Label> base = switch (algorithm) {
            // eps 0.1 is Tribuo's default; on 1M x 30 it halves the Newton iterations of eps 0.01 and changed
            // 2 of 200,000 test predictions
            // standardises on its own (and is fitted on column arrays by Training, without this trainer's dataset)
            case LOGISTIC -> new SoftmaxTrainer(point.get("C"), standardize, SoftmaxTrainer.MAX_ITERATIONS,
                    SoftmaxTrainer.TOLERANCE);
            case SGD -> new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(point.get("learningRate"), 0.1),
                    point.get("epochs").intValue(), -1, 1, seed);
            case CART -> new CARTClassificationTrainer(point.get("maxDepth").intValue(),
                    point.get("minChildWeight").floatValue(), 0.0f, 1.0f, false, new GiniIndex(), seed);
            case FOREST -> forest(point.get("trees").intValue(), point.get("maxDepth").intValue(), seed,
                    featureCount);
            // histogram trees, as scikit-learn's HistGradientBoosting (XGBoost's exact method took 145 s where it
            // takes 3 s on 80,000 x 30)
            case XGBOOST -> new XGBoostClassificationTrainer(XGBoostTrainer.BoosterType.GBTREE,
                    XGBoostTrainer.TreeMethod.HIST, point.get("trees").intValue(), point.get("eta"), 0.0,
                    point.get("maxDepth").intValue(), 1.0, 1.0, 1.0, 1.0, 0.0, XGBOOST_THREADS,
                    XGBoostTrainer.LoggingVerbosity.SILENT, seed);
        };
        // Trees split on thresholds, which scaling does not change; wrapping them would only cost (Tribuo's
        // TransformedModel predicts a batch one row at a time, one native call per row for XGBoost).
        if (!standardize || numericFeatures.isEmpty() || algorithm != Algorithm.SGD) {
            return base;
        }
        // Only numeric columns: a one-hot column is already on a 0/1 scale. A missing numeric cell is an absent
        // feature, left out of the fitted mean and sd and read as 0 afterwards, i.e. as the column's mean.
        Map<String, List<org.tribuo.transform.Transformation>> perFeature = new LinkedHashMap<>();
        for (String f : numericFeatures) {
            perFeature.put(f, List.of(new MeanStdDevTransformation()));
        }
        return new TransformTrainer<>(base, new TransformationMap(perFeature), false);
    }

    /**
     * A random forest as XGBoost grows one (its documented random-forest mode): one boosting round of {@code trees}
     * parallel histogram trees, each on a 63.2% row sample (the share of distinct rows in a bootstrap sample) and
     * sqrt(p) features per split, learning rate 1, averaged. Tribuo's own forest (bagged CART) was 20x slower than
     * scikit-learn's RandomForestClassifier and held 10x the memory: its CART copies every feature's sorted values
     * at every split (issue 10, profile in docs/architecture.md). A fixed thread count, so the model repeats byte for byte.
     */
    static Trainer<Label> forest(int trees, int maxDepth, long seed, int featureCount) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("objective", "multi:softprob");
        p.put("booster", "gbtree");
        p.put("tree_method", "hist");
        p.put("num_parallel_tree", trees);
        p.put("eta", 1.0);
        p.put("max_depth", maxDepth);
        p.put("subsample", 0.632);
        p.put("colsample_bynode", Math.sqrt(featureCount) / featureCount);
        p.put("min_child_weight", 1.0);
        p.put("lambda", 1.0);
        p.put("nthread", XGBOOST_THREADS);
        p.put("seed", seed);
        p.put("verbosity", 0);
        return new XGBoostClassificationTrainer(1, p);
    }

    /** "C=0.1, maxDepth=6": numbers print as written, never with a trailing ".0" or an exponent. */
    public static String describe(Algorithm algorithm, Map<String, Double> point) {
        StringBuilder sb = new StringBuilder();
        for (Param p : params(algorithm)) {
            if (point.containsKey(p.name())) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(p.name()).append('=').append(p.format(point.get(p.name())));
            }
        }
        return sb.toString();
    }

    /** The point as JSON numbers: whole-number parameters as integers, the others as decimals. */
    public static Map<String, Number> asNumbers(Algorithm algorithm, Map<String, Double> point) {
        Map<String, Number> out = new LinkedHashMap<>();
        for (Param p : params(algorithm)) {
            if (point.containsKey(p.name())) {
                double v = point.get(p.name());
                out.put(p.name(), p.integer() ? (Number) (long) v : (Number) v);
            }
        }
        return out;
    }

    /** The chosen point as strings, for the model schema and tracking params. */
    public static Map<String, String> asStrings(Algorithm algorithm, Map<String, Double> point) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Param p : params(algorithm)) {
            if (point.containsKey(p.name())) {
                out.put(p.name(), p.format(point.get(p.name())));
            }
        }
        return out;
    }

    static String format(double v, boolean integer) {
        if (integer) {
            return Long.toString((long) v);
        }
        return number(v);
    }

    /** Shortest decimal that reads back as {@code v}: 1 (not 1.0), 0.1, 0.000001 (not 1.0E-6). */
    public static String number(double v) {
        if (!Double.isFinite(v)) {
            return Double.toString(v);
        }
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}
