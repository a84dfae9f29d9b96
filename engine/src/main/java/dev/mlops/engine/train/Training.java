package dev.mlops.engine.train;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.evaluate.Evaluation;
import dev.mlops.engine.evaluate.Evaluator;
import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.evaluate.Predictions;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One training run: check the data, hold out a stratified test split, search the hyperparameter grid with
 * stratified k-fold cross-validation (or one validation split), refit the chosen point on the whole training split
 * and evaluate it once on the test split. Deterministic for a given seed and data; the files it leads to are
 * byte-identical for a given {@link TrainingRequest#trainedAt()} as well.
 *
 * <p>Every split is a list of row indices into the one table: no part of the data is copied. {@code logistic} is fitted
 * on the table's column arrays ({@link ColumnFitter}); the other algorithms go through Tribuo examples
 * ({@link ExampleFitter}).
 */
public final class Training {
    private Training() {
    }

    public static TrainingResult run(TrainingRequest request, Log log) {
        Clock clock = request.clock();
        long start = clock.millis();
        Table table = request.table();
        DataSpec data = request.data();
        ModelSpec spec = request.model();
        checkSpec(spec);
        List<Map<String, Double>> grid = Trainers.expandGrid(spec.algorithm(), spec.grid());

        TargetClasses p = TargetClasses.prepare(table, data, spec.maxClasses());
        if (data.positiveClass() != null && p.positive < 0) {
            log.warn("data.positiveClass '" + data.positiveClass() + "' is ignored: target '" + data.target()
                    + "' has " + p.labels.size() + " classes, and a positive class only applies to binary targets");
        }
        checkSelectBy(spec.selectBy(), p.labels);

        long seed = spec.seed();
        int[] all = new int[table.rowCount()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        Splits.Split outer = Splits.stratified(all, p.klass, p.labels.size(), spec.testSplit(), seed);
        if (outer.test().length == 0) {
            throw new InputException("model.testSplit: " + spec.testSplit() + " of " + table.rowCount()
                    + " rows holds out no row for the final evaluation; use a larger testSplit or more data");
        }
        int[] trainRows = outer.train();
        int[] trainClass = select(p.klass, trainRows);
        boolean search = grid.size() > 1 || spec.folds() > 1;
        if (search && spec.folds() > 1) {
            checkFoldCounts(table, data.target(), p, trainClass, spec.folds());
        }

        String trainedAt = request.trainedAt().toString();
        ModelSchema provisional = schema(request, p, Map.of(), trainedAt);
        Fitter fitter = spec.algorithm() == dev.mlops.engine.spec.Algorithm.LOGISTIC
                ? new ColumnFitter(request, provisional, p.labels, log)
                : new ExampleFitter(request, provisional, p, trainRows, trainClass, log);
        long split = clock.millis();
        log.info(String.format(Locale.ROOT, "%s: %d rows, %d features, classes %s; %d train / %d test rows (seed %d)",
                table.source(), table.rowCount(), p.featureCount, p.labels, trainRows.length, outer.test().length,
                seed));

        List<TrainingResult.CvScore> cv = new ArrayList<>();
        Map<String, Double> chosen = grid.get(0);
        if (search) {
            cv = searchGrid(request, p, grid, fitter, trainRows, trainClass, log);
            chosen = best(cv, spec.selectBy()).params();
            log.info("chosen " + Trainers.describe(spec.algorithm(), chosen) + " by " + spec.selectBy());
        } else {
            log.info("one grid point and folds = 1: nothing to select, training " + Trainers.describe(
                    spec.algorithm(), chosen));
        }
        long searched = clock.millis();

        ModelSchema schema = schema(request, p, Trainers.asStrings(spec.algorithm(), chosen), trainedAt);
        String desc = Trainers.describe(spec.algorithm(), chosen);
        log.progress("refit", 0, 1, desc + " on " + trainRows.length + " rows");
        Fitter.Fitted fitted = fitter.fit(chosen, trainRows, trainClass, "refit " + desc,
                ModelArtifact.provenance(schema));
        Model<Label> model = fitted.model();
        log.progress("refit", 1, 1, "done");
        long refit = clock.millis();

        long size = model.serialize().getSerializedSize();
        Evaluation test = Evaluator.evaluate(model, schema, table, outer.test(), data, OptionalLong.of(size),
                fitted.predict(outer.test()), log);
        long end = clock.millis();

        Map<String, Long> timings = new LinkedHashMap<>();
        timings.put("split", split - start);
        timings.put("search", searched - split);
        timings.put("refit", refit - searched);
        timings.put("evaluate", end - refit);
        timings.put("total", end - start);
        return new TrainingResult(model, schema, spec.algorithm(), chosen, spec.selectBy(), cv, test,
                trainRows.length, outer.test().length, outer.test(), timings, model.getProvenance().toString());
    }

    /**
     * Refuses, in one short line, a target that does not hold class labels (continuous, or more classes than
     * {@code model.maxClasses}): for the pipeline to call once the data is read, before anything lists the classes.
     * A missing target column is left to the caller's own message.
     */
    public static void checkTarget(Table table, DataSpec data, ModelSpec model) {
        if (data.target() != null) {
            table.find(data.target()).ifPresent(t -> TargetClasses.refuseNonClassLabels(table, t,
                    (model == null ? ModelSpec.defaults() : model).maxClasses()));
        }
    }

    private static List<TrainingResult.CvScore> searchGrid(TrainingRequest request, TargetClasses p,
                                                        List<Map<String, Double>> grid, Fitter fitter,
                                                        int[] trainRows, int[] trainClass, Log log) {
        ModelSpec spec = request.model();
        // folds are built once and shared by every grid point, so points are compared on identical rows
        List<Splits.Split> folds = spec.folds() > 1
                ? Splits.folds(trainRows, trainClass, p.labels.size(), spec.folds(), spec.seed())
                : List.of(Splits.stratified(trainRows, trainClass, p.labels.size(), spec.validationSplit(),
                spec.seed() + 1));
        int total = grid.size() * folds.size();
        int done = 0;
        List<TrainingResult.CvScore> scores = new ArrayList<>();
        for (int g = 0; g < grid.size(); g++) {
            Map<String, Double> point = grid.get(g);
            String desc = Trainers.describe(spec.algorithm(), point);
            List<Double> foldScores = new ArrayList<>();
            for (int f = 0; f < folds.size(); f++) {
                String where = folds.size() == 1 ? "validation split" : "fold " + (f + 1) + "/" + folds.size();
                log.progress("grid", done, total, desc + " " + where);
                Splits.Split fold = folds.get(f);
                Fitter.Fitted m = fitter.fit(point, fold.train(), select(p.klass, fold.train()), desc + " " + where,
                        null);
                foldScores.add(score(m.predict(fold.test()), select(p.klass, fold.test()), p, spec.selectBy()));
                done++;
                log.progress("grid", done, total, desc + " " + where);
            }
            double mean = foldScores.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            scores.add(new TrainingResult.CvScore(point, desc, mean, foldScores));
            log.info(String.format(Locale.ROOT, "grid point %d/%d %s: %s %.4f (mean of %d %s)", g + 1,
                    grid.size(), desc, spec.selectBy(), mean, folds.size(),
                    folds.size() == 1 ? "validation split" : "folds"));
        }
        return scores;
    }

    /** The best mean score; ties keep the earlier grid point. */
    static TrainingResult.CvScore best(List<TrainingResult.CvScore> cv, String selectBy) {
        boolean greater = MetricCatalog.greaterIsBetter(selectBy).orElse(true);
        TrainingResult.CvScore best = null;
        for (TrainingResult.CvScore s : cv) {
            if (Double.isNaN(s.mean())) {
                continue;
            }
            if (best == null || (greater ? s.mean() > best.mean() : s.mean() < best.mean())) {
                best = s;
            }
        }
        return best == null ? cv.get(0) : best;
    }

    private static double score(Predictions preds, int[] actual, TargetClasses p, String selectBy) {
        Map<String, String> notes = new HashMap<>();
        Map<String, Double> metrics = Evaluator.predictionMetrics(p.labels, p.positive, actual, preds.classes(),
                preds.probabilities(), notes);
        Double v = metrics.get(selectBy);
        if (v == null) {
            throw new InputException("model.selectBy: '" + selectBy + "' cannot be computed for this model ("
                    + notes.getOrDefault(selectBy, "not available") + ")");
        }
        return v;
    }

    static int[] select(int[] values, int[] positions) {
        int[] out = new int[positions.length];
        for (int i = 0; i < positions.length; i++) {
            out[i] = values[positions[i]];
        }
        return out;
    }

    private static ModelSchema schema(TrainingRequest r, TargetClasses p, Map<String, String> params, String trainedAt) {
        return new ModelSchema(ModelSchema.FORMAT_VERSION, r.modelName(), r.data().target(), p.inputs, p.labels,
                p.positiveClass, r.model().algorithm().id(), params, r.gitSha(), r.dataSha256(), trainedAt);
    }

    // ---- input checks -------------------------------------------------------------------------------------------

    private static void checkFoldCounts(Table table, String target, TargetClasses p, int[] trainClass, int folds) {
        int[] inTrain = new int[p.labels.size()];
        for (int c : trainClass) {
            inTrain[c]++;
        }
        List<String> few = new ArrayList<>();
        for (int c = 0; c < inTrain.length; c++) {
            if (inTrain[c] < folds) {
                few.add("'" + p.labels.get(c) + "' (" + p.counts[c] + " rows, " + inTrain[c] + " after the test split)");
            }
        }
        if (!few.isEmpty()) {
            throw new InputException(table.source() + ": target column '" + target + "': class " + String.join(", ", few)
                    + " has fewer training rows than model.folds = " + folds
                    + "; every fold needs each class; lower model.folds or add rows");
        }
    }

    private static void checkSpec(ModelSpec spec) {
        if (spec.folds() < 1) {
            throw new InputException("model.folds: expected at least 1 (1 = a single validation split), got "
                    + spec.folds());
        }
        if (!(spec.testSplit() > 0 && spec.testSplit() < 1)) {
            throw new InputException("model.testSplit: expected a fraction between 0 and 1 (exclusive), got "
                    + spec.testSplit());
        }
        if (!(spec.validationSplit() > 0 && spec.validationSplit() < 1)) {
            throw new InputException("model.validationSplit: expected a fraction between 0 and 1 (exclusive), got "
                    + spec.validationSplit());
        }
    }

    /** Metrics a grid point can be chosen by: those computed from predictions on labelled rows. */
    private static void checkSelectBy(String selectBy, List<String> labels) {
        List<String> allowed = new ArrayList<>(List.of(MetricCatalog.ACCURACY, MetricCatalog.PRECISION_MACRO,
                MetricCatalog.RECALL_MACRO, MetricCatalog.F1_MACRO, MetricCatalog.PRECISION_WEIGHTED,
                MetricCatalog.RECALL_WEIGHTED, MetricCatalog.F1_WEIGHTED, MetricCatalog.LOG_LOSS));
        if (labels.size() == 2) {
            allowed.add(MetricCatalog.ROC_AUC);
        }
        for (String l : labels) {
            allowed.addAll(MetricCatalog.perClass(l));
        }
        if (!allowed.contains(selectBy)) {
            throw new InputException("model.selectBy: '" + selectBy + "' cannot choose a grid point here"
                    + (selectBy.equals(MetricCatalog.ROC_AUC) ? " (roc_auc needs a binary target)" : "")
                    + MetricCatalog.respelled(selectBy, labels).map(n -> " (per-class metrics spell class '"
                    + MetricCatalog.classOf(selectBy).orElseThrow() + "' as in " + n + ")").orElse("")
                    + "; use one of " + allowed);
        }
    }
}
