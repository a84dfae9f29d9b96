package dev.mlops.engine.evaluate;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.DataSpec;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Evaluates a classification model on labelled table rows: classification metrics, ROC AUC and log loss when they
 * apply, single-row latency, model size and fairness by the sensitive column.
 */
public final class Evaluator {
    /** Predictions made before timing starts, so the JIT has compiled the prediction path. */
    public static final int LATENCY_WARMUP = 200;
    /** At most this many rows are timed one at a time. */
    public static final int LATENCY_ROWS = 1000;
    /** Group name used for rows whose sensitive value is empty. */
    public static final String MISSING_GROUP = "(missing)";

    private Evaluator() {
    }

    /** Evaluates a loaded model; the size is the given file's, or the loaded file's when none is given. */
    public static Evaluation evaluate(LoadedModel model, Table table, int[] rows, DataSpec data,
                                      Optional<Path> modelFile, Log log) {
        OptionalLong size = modelFile.isPresent() ? OptionalLong.of(fileSize(modelFile.get()))
                : OptionalLong.of(model.sizeBytes());
        return evaluate(model.model(), model.schema(), table, rows, data, size, log);
    }

    public static Evaluation evaluate(Model<Label> model, ModelSchema schema, Table table, int[] rows, DataSpec data,
                                      Optional<Path> modelFile, Log log) {
        OptionalLong size = modelFile.map(p -> OptionalLong.of(fileSize(p))).orElse(OptionalLong.empty());
        return evaluate(model, schema, table, rows, data, size, log);
    }

    public static Evaluation evaluate(Model<Label> model, ModelSchema schema, Table table, int[] rows, DataSpec data,
                                      OptionalLong modelSizeBytes, Log log) {
        return evaluate(model, schema, table, rows, data, modelSizeBytes, null, log);
    }

    /**
     * @param rows           the rows to evaluate on (null for every row)
     * @param modelSizeBytes reported as {@code model_size_bytes} when present
     * @param predictions    the model's predictions for {@code rows} when the caller has them (computed on column
     *                       arrays); null to predict through Tribuo examples here
     */
    public static Evaluation evaluate(Model<Label> model, ModelSchema schema, Table table, int[] rows, DataSpec data,
                                      OptionalLong modelSizeBytes, Predictions predictions, Log log) {
        if (rows == null) {
            rows = new int[table.rowCount()];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
        }
        if (rows.length == 0) {
            throw new InputException(table.source() + ": no rows to evaluate on");
        }
        List<String> labels = schema.labels();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        String targetName = data != null && data.target() != null ? data.target() : schema.target();
        int[] actual = actualClasses(table, targetName, rows, index, labels);

        TableExamples builder = new TableExamples(table, schema);
        if (predictions == null) {
            predictions = predict(model, builder, table, rows, labels, index);
        }
        int[] predicted = predictions.classes();
        double[][] probs = predictions.probabilities();
        int positive = schema.positiveClass() == null || labels.size() != 2 ? -1 : index.get(schema.positiveClass());
        Map<String, String> notes = new LinkedHashMap<>();
        Map<String, Double> metrics = predictionMetrics(labels, positive, actual, predicted, probs, notes);
        long[][] confusion = ClassificationMetrics.confusion(labels.size(), actual, predicted);
        long[] support = new long[labels.size()];
        for (int a : actual) {
            support[a]++;
        }

        double[] latency = latencyMillis(model, builder, rows);
        metrics.put(MetricCatalog.LATENCY_P50_MS, ClassificationMetrics.nearestRank(latency, 50));
        metrics.put(MetricCatalog.LATENCY_P95_MS, ClassificationMetrics.nearestRank(latency, 95));
        metrics.put(MetricCatalog.LATENCY_P99_MS, ClassificationMetrics.nearestRank(latency, 99));
        notes.put("latency", "single-row featurize+predict over " + latency.length + " rows after "
                + LATENCY_WARMUP + " warm-up predictions; nearest-rank percentiles");
        modelSizeBytes.ifPresent(s -> metrics.put(MetricCatalog.MODEL_SIZE_BYTES, (double) s));

        FairnessReport fairness = null;
        String sensitive = data == null ? null : data.sensitive();
        if (sensitive != null) {
            if (positive < 0) {
                notes.put("fairness", "fairness metrics are defined for binary problems; this model has "
                        + labels.size() + " classes");
            } else {
                Column g = table.column(sensitive);
                String[] groups = new String[rows.length];
                boolean[] actualPos = new boolean[rows.length];
                boolean[] predictedPos = new boolean[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    String v = TableExamples.cell(g, rows[i]);
                    groups[i] = v == null ? MISSING_GROUP : v;
                    actualPos[i] = actual[i] == positive;
                    predictedPos[i] = predicted[i] == positive;
                }
                Fairness.Result f = Fairness.compute(sensitive, labels.get(positive), groups, actualPos, predictedPos);
                fairness = f.report();
                metrics.putAll(f.metrics());
                notes.putAll(f.notes());
            }
        }
        log.info(String.format(java.util.Locale.ROOT, "evaluated %d rows of %s: accuracy %.4f, f1_macro %.4f",
                rows.length, table.source(), metrics.get(MetricCatalog.ACCURACY), metrics.get(MetricCatalog.F1_MACRO)));
        return new Evaluation(labels, positive < 0 ? null : labels.get(positive), rows.length, metrics, confusion,
                support, fairness, notes);
    }

    /** Rows to featurize and predict at a time: bounds the examples alive at once. */
    private static final int CHUNK = 16_384;

    /** The model's predictions through Tribuo examples, built and dropped a chunk at a time. */
    private static Predictions predict(Model<Label> model, TableExamples builder, Table table, int[] rows,
                                       List<String> labels, Map<String, Integer> index) {
        int[] predicted = new int[rows.length];
        double[][] probs = new double[rows.length][];
        boolean probabilistic = true;
        Label unknown = org.tribuo.classification.LabelFactory.UNKNOWN_LABEL;
        for (int from = 0; from < rows.length; from += CHUNK) {
            int[] chunk = Arrays.copyOfRange(rows, from, Math.min(rows.length, from + CHUNK));
            Label[] none = new Label[chunk.length];
            Arrays.fill(none, unknown);
            List<Prediction<Label>> out = model.predict(builder.examples(chunk, none));
            probabilistic &= allProbabilistic(out);
            for (int i = 0; i < chunk.length; i++) {
                Prediction<Label> p = out.get(i);
                predicted[from + i] = classOf(p, index, table, chunk[i]);
                if (probabilistic) {
                    probs[from + i] = probabilities(p, labels);
                }
            }
        }
        return new Predictions(predicted, probabilistic ? probs : null);
    }

    /**
     * Metrics computable from predictions alone (no timing, no groups): accuracy, per-class, macro, weighted; ROC AUC
     * of the positive class when {@code positive >= 0}; log loss when {@code probabilities} is not null.
     */
    public static Map<String, Double> predictionMetrics(List<String> labels, int positive, int[] actual,
                                                        int[] predicted, double[][] probabilities,
                                                        Map<String, String> notes) {
        long[][] confusion = ClassificationMetrics.confusion(labels.size(), actual, predicted);
        Map<String, Double> metrics = new LinkedHashMap<>(ClassificationMetrics.fromConfusion(labels, confusion));
        if (positive >= 0) {
            if (probabilities == null) {
                notes.put(MetricCatalog.ROC_AUC, "the model gives no probabilities, so there is no score to rank");
            } else {
                boolean[] isPos = new boolean[actual.length];
                double[] score = new double[actual.length];
                for (int i = 0; i < actual.length; i++) {
                    isPos[i] = actual[i] == positive;
                    score[i] = probabilities[i][positive];
                }
                double auc = ClassificationMetrics.rocAuc(isPos, score);
                if (Double.isNaN(auc)) {
                    notes.put(MetricCatalog.ROC_AUC, "the evaluated rows hold only one class");
                } else {
                    metrics.put(MetricCatalog.ROC_AUC, auc);
                }
            }
        }
        if (probabilities != null) {
            metrics.put(MetricCatalog.LOG_LOSS, ClassificationMetrics.logLoss(actual, probabilities));
        } else {
            notes.put(MetricCatalog.LOG_LOSS, "the model gives no probabilities");
        }
        return metrics;
    }

    /** The predicted class index; a model whose scores came out non-finite predicts nothing, which is reported. */
    public static int classOf(Prediction<Label> p, Map<String, Integer> index, Table table, int row) {
        if (p.getOutput() == null || !index.containsKey(p.getOutput().getLabel())) {
            throw new IllegalStateException(table.source() + ": row " + (row + 1)
                    + ": the model produced no usable prediction (non-finite scores?)");
        }
        return index.get(p.getOutput().getLabel());
    }

    /**
     * Whether every prediction carries a class distribution. Asked per prediction rather than of the model: Tribuo's
     * CART trees say the model does not "generate probabilities" but each prediction holds its leaf's class
     * fractions, a proper (if coarse) distribution that ROC AUC and log loss can use.
     */
    public static boolean allProbabilistic(List<Prediction<Label>> predictions) {
        for (Prediction<Label> p : predictions) {
            if (!p.hasProbabilities()) {
                return false;
            }
        }
        return !predictions.isEmpty();
    }

    /** Class probabilities of one prediction in label order (missing labels count as 0). */
    public static double[] probabilities(Prediction<Label> p, List<String> labels) {
        double[] out = new double[labels.size()];
        Map<String, Label> scores = p.getOutputScores();
        for (int c = 0; c < out.length; c++) {
            Label l = scores.get(labels.get(c));
            out[c] = l == null ? 0.0 : l.getScore();
        }
        return out;
    }

    private static int[] actualClasses(Table table, String target, int[] rows, Map<String, Integer> index,
                                       List<String> labels) {
        Column t = table.find(target).orElseThrow(() -> new InputException(table.source()
                + ": target column '" + target + "' is missing; columns are " + table.columnNames()));
        int[] actual = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            String v = TableExamples.cell(t, rows[i]);
            if (v == null) {
                throw new InputException(table.source() + ": row " + (rows[i] + 1) + ", column '" + target
                        + "': the target is empty (or NaN)");
            }
            Integer c = index.get(v);
            if (c == null) {
                throw new InputException(table.source() + ": row " + (rows[i] + 1) + ", column '" + target
                        + "': label '" + v + "' is not one the model knows " + labels);
            }
            actual[i] = c;
        }
        return actual;
    }

    private static double[] latencyMillis(Model<Label> model, TableExamples builder, int[] rows) {
        int n = Math.min(LATENCY_ROWS, rows.length);
        Label unknown = org.tribuo.classification.LabelFactory.UNKNOWN_LABEL;
        for (int i = 0; i < LATENCY_WARMUP; i++) {
            model.predict(builder.example(rows[i % rows.length], unknown));
        }
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            model.predict(builder.example(rows[i], unknown));
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        return ms;
    }

    private static long fileSize(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new InputException(p + ": cannot read model file size: " + e.getMessage());
        }
    }
}
