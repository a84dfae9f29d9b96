package dev.mlops.engine.train;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.evaluate.Evaluation;
import dev.mlops.engine.evaluate.Evaluator;
import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.evaluate.TableExamples;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.Algorithm;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;
import org.tribuo.CategoricalInfo;
import org.tribuo.Example;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * One training run: check the data, hold out a stratified test split, search the hyperparameter grid with
 * stratified k-fold cross-validation (or one validation split), refit the chosen point on the whole training split
 * and evaluate it once on the test split. Deterministic for a given seed and data.
 */
public final class Training {
    private static final LabelFactory LABELS = new LabelFactory();

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

        Prepared p = prepare(table, data);
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
        int[] trainClass = new int[trainRows.length];
        for (int i = 0; i < trainRows.length; i++) {
            trainClass[i] = p.klass[trainRows[i]];
        }
        boolean search = grid.size() > 1 || spec.folds() > 1;
        if (search && spec.folds() > 1) {
            checkFoldCounts(table, data.target(), p, trainClass, spec.folds());
        }

        ModelSchema provisional = schema(request, p, Map.of(), null);
        TableExamples builder = new TableExamples(table, provisional);
        Label[] labelOf = new Label[p.labels.size()];
        for (int c = 0; c < labelOf.length; c++) {
            labelOf[c] = new Label(p.labels.get(c));
        }
        Label[] trainLabels = new Label[trainRows.length];
        for (int i = 0; i < trainRows.length; i++) {
            trainLabels[i] = labelOf[trainClass[i]];
        }
        List<Example<Label>> trainExamples = builder.examples(trainRows, trainLabels);
        long split = clock.millis();
        log.info(String.format(Locale.ROOT, "%s: %d rows, %d features, classes %s; %d train / %d test rows (seed %d)",
                table.source(), table.rowCount(), p.featureCount, p.labels, trainRows.length, outer.test().length,
                seed));

        List<TrainingResult.CvScore> cv = new ArrayList<>();
        Map<String, Double> chosen = grid.get(0);
        if (search) {
            cv = searchGrid(request, p, grid, trainExamples, trainRows, trainClass, log);
            chosen = best(cv, spec.selectBy()).params();
            log.info("chosen " + Trainers.describe(spec.algorithm(), chosen) + " by " + spec.selectBy());
        } else {
            log.info("one grid point and folds = 1: nothing to select, training " + Trainers.describe(
                    spec.algorithm(), chosen));
        }
        long searched = clock.millis();

        ModelSchema schema = schema(request, p, Trainers.asStrings(spec.algorithm(), chosen),
                Instant.ofEpochMilli(clock.millis()).toString());
        log.progress("refit", 0, 1, Trainers.describe(spec.algorithm(), chosen) + " on " + trainRows.length + " rows");
        MutableDataset<Label> full = dataset(trainExamples, table.source() + " training split", clock);
        Model<Label> model = Trainers.create(spec.algorithm(), chosen, spec.standardize(), seed, p.featureCount,
                varying(full, p.numeric)).train(full, ModelArtifact.provenance(schema));
        log.progress("refit", 1, 1, "done");
        long refit = clock.millis();

        long size = model.serialize().getSerializedSize();
        Evaluation test = Evaluator.evaluate(model, schema, table, outer.test(), data, OptionalLong.of(size), log);
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

    private static List<TrainingResult.CvScore> searchGrid(TrainingRequest request, Prepared p,
                                                        List<Map<String, Double>> grid,
                                                        List<Example<Label>> trainExamples, int[] trainRows,
                                                        int[] trainClass, Log log) {
        ModelSpec spec = request.model();
        int[] positions = new int[trainExamples.size()];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = i;
        }
        List<Splits.Split> folds = spec.folds() > 1
                ? Splits.folds(positions, trainClass, p.labels.size(), spec.folds(), spec.seed())
                : List.of(Splits.stratified(positions, trainClass, p.labels.size(), spec.validationSplit(),
                spec.seed() + 1));
        // folds are built once and shared by every grid point, so points are compared on identical rows
        List<MutableDataset<Label>> foldTrain = new ArrayList<>();
        for (Splits.Split f : folds) {
            foldTrain.add(dataset(select(trainExamples, f.train()), request.table().source() + " fold", request.clock()));
        }
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
                Model<Label> m = Trainers.create(spec.algorithm(), point, spec.standardize(), spec.seed(),
                        p.featureCount, varying(foldTrain.get(f), p.numeric)).train(foldTrain.get(f));
                foldScores.add(score(m, trainExamples, trainClass, folds.get(f).test(), p, spec.selectBy(),
                        request.table(), trainRows));
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

    private static double score(Model<Label> m, List<Example<Label>> examples, int[] klass, int[] positions,
                                Prepared p, String selectBy, Table table, int[] trainRows) {
        List<Example<Label>> val = select(examples, positions);
        List<Prediction<Label>> preds = m.predict(val);
        int[] actual = new int[positions.length];
        int[] predicted = new int[positions.length];
        double[][] probs = Evaluator.allProbabilistic(preds) ? new double[positions.length][] : null;
        for (int i = 0; i < positions.length; i++) {
            actual[i] = klass[positions[i]];
            predicted[i] = Evaluator.classOf(preds.get(i), p.index, table, trainRows[positions[i]]);
            if (probs != null) {
                probs[i] = Evaluator.probabilities(preds.get(i), p.labels);
            }
        }
        Map<String, String> notes = new HashMap<>();
        Map<String, Double> metrics = Evaluator.predictionMetrics(p.labels, p.positive, actual, predicted, probs,
                notes);
        Double v = metrics.get(selectBy);
        if (v == null) {
            throw new InputException("model.selectBy: '" + selectBy + "' cannot be computed for this model ("
                    + notes.getOrDefault(selectBy, "not available") + ")");
        }
        return v;
    }

    /**
     * The numeric features with more than one distinct value in this dataset: standardising a constant feature
     * divides by a zero sd, which turns every prediction into NaN.
     */
    static List<String> varying(MutableDataset<Label> ds, List<String> numeric) {
        List<String> out = new ArrayList<>(numeric.size());
        for (String name : numeric) {
            VariableInfo info = ds.getFeatureMap().get(name);
            boolean varies = info instanceof RealInfo r ? r.getMax() > r.getMin()
                    : info instanceof CategoricalInfo c && c.getUniqueObservations() > 1;
            if (varies) {
                out.add(name);
            }
        }
        return out;
    }

    private static List<Example<Label>> select(List<Example<Label>> examples, int[] positions) {
        List<Example<Label>> out = new ArrayList<>(positions.length);
        for (int i : positions) {
            out.add(examples.get(i));
        }
        return out;
    }

    private static MutableDataset<Label> dataset(List<Example<Label>> examples, String description, Clock clock) {
        OffsetDateTime at = OffsetDateTime.ofInstant(Instant.ofEpochMilli(clock.millis()), ZoneOffset.UTC);
        return new MutableDataset<>(examples, new SimpleDataSourceProvenance(description, at, LABELS), LABELS);
    }

    private static ModelSchema schema(TrainingRequest r, Prepared p, Map<String, String> params, String trainedAt) {
        return new ModelSchema(ModelSchema.FORMAT_VERSION, r.modelName(), r.data().target(), p.inputs, p.labels,
                p.positiveClass, r.model().algorithm().id(), params, r.gitSha(), r.dataSha256(), trainedAt);
    }

    // ---- input checks -------------------------------------------------------------------------------------------

    /** What the table turned out to hold. */
    static final class Prepared {
        List<String> labels;
        Map<String, Integer> index;
        int[] klass;
        int[] counts;
        List<ModelSchema.Input> inputs;
        int featureCount;
        List<String> numeric = new ArrayList<>();
        String positiveClass;
        int positive;
    }

    static Prepared prepare(Table table, DataSpec data) {
        String target = data.target();
        if (target == null || target.isBlank()) {
            throw new InputException("data.target: required: the column holding the label");
        }
        Column t = table.find(target).orElseThrow(() -> new InputException(table.source()
                + ": target column '" + target + "' (data.target) is missing; columns are " + table.columnNames()));
        String sensitive = data.sensitive();
        if (sensitive != null) {
            if (sensitive.equals(target)) {
                throw new InputException("data.sensitive: '" + sensitive + "' is the target column; "
                        + "name the column holding the group attribute");
            }
            if (table.find(sensitive).isEmpty()) {
                throw new InputException(table.source() + ": sensitive column '" + sensitive
                        + "' (data.sensitive) is missing; columns are " + table.columnNames());
            }
        }
        int n = table.rowCount();
        if (n == 0) {
            throw new InputException(table.source() + ": no data rows to train on");
        }
        String[] text = new String[n];
        TreeSet<String> distinct = new TreeSet<>();
        for (int r = 0; r < n; r++) {
            String v = t instanceof CategoricalColumn c ? (c.codes()[r] < 0 ? null : c.levels().get(c.codes()[r]))
                    : t.text(r);
            if (v == null) {
                throw new InputException(table.source() + ": row " + (r + 1) + ", target column '" + target
                        + "' is empty or NaN; every training row needs a label");
            }
            text[r] = v;
            distinct.add(v);
        }
        Prepared p = new Prepared();
        p.labels = List.copyOf(distinct);
        if (p.labels.size() < 2) {
            throw new InputException(table.source() + ": target column '" + target + "' has only one class ('"
                    + p.labels.get(0) + "' in all " + n + " rows); a classifier needs at least two");
        }
        p.index = new HashMap<>();
        for (int i = 0; i < p.labels.size(); i++) {
            p.index.put(p.labels.get(i), i);
        }
        p.klass = new int[n];
        p.counts = new int[p.labels.size()];
        for (int r = 0; r < n; r++) {
            p.klass[r] = p.index.get(text[r]);
            p.counts[p.klass[r]]++;
        }
        p.inputs = new ArrayList<>();
        for (Column c : table.columns()) {
            if (c.name().equals(target) || c.name().equals(sensitive)) {
                continue;
            }
            if (c instanceof NumericColumn) {
                p.inputs.add(new ModelSchema.Input(c.name(), ColumnType.NUMERIC, null));
                p.numeric.add(c.name());
                p.featureCount++;
            } else {
                CategoricalColumn cc = (CategoricalColumn) c;
                p.inputs.add(new ModelSchema.Input(c.name(), ColumnType.CATEGORICAL, cc.levels()));
                p.featureCount += cc.levels().size();
            }
        }
        if (p.inputs.size() < 2) {
            throw new InputException(table.source() + ": training needs at least 2 feature columns besides the target '"
                    + target + "'" + (sensitive == null ? "" : " and the sensitive column '" + sensitive + "'")
                    + "; found " + p.inputs.size() + " " + p.inputs.stream().map(ModelSchema.Input::name).toList());
        }
        if (p.labels.size() == 2) {
            String pc = data.positiveClass();
            if (pc != null && !p.index.containsKey(pc)) {
                throw new InputException("data.positiveClass: '" + pc + "' is not a class of target '" + target
                        + "' in " + table.source() + "; classes are " + p.labels);
            }
            p.positiveClass = pc != null ? pc : p.labels.get(1);
            p.positive = p.index.get(p.positiveClass);
        } else {
            p.positiveClass = null;
            p.positive = -1;
        }
        return p;
    }

    private static void checkFoldCounts(Table table, String target, Prepared p, int[] trainClass, int folds) {
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
