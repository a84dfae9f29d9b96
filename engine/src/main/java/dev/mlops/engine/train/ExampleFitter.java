package dev.mlops.engine.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.mlops.engine.Log;
import dev.mlops.engine.evaluate.Evaluator;
import dev.mlops.engine.evaluate.Predictions;
import dev.mlops.engine.evaluate.TableExamples;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.model.ProvenanceTimes;
import org.tribuo.CategoricalInfo;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.RealInfo;
import org.tribuo.VariableInfo;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Tribuo trainers ({@code sgd}, {@code cart}, {@code forest}, {@code xgboost}): the training split becomes Tribuo
 * examples once, each fit a dataset of some of them. Their fits report no progress, so a {@link Heartbeat} does.
 */
final class ExampleFitter implements Fitter {
    private static final LabelFactory LABELS = new LabelFactory();

    private final TrainingRequest request;
    private final TargetClasses p;
    private final Log log;
    /** The example of each training-split row, by table row; null for other rows. */
    private final Example<Label>[] byRow;
    private final Map<String, Integer> index = new HashMap<>();
    private final OffsetDateTime trainedAt;

    @SuppressWarnings("unchecked")
    ExampleFitter(TrainingRequest request, ModelSchema schema, TargetClasses p, int[] trainRows, int[] trainClass,
                  Log log) {
        this.request = request;
        this.p = p;
        this.log = log;
        this.trainedAt = OffsetDateTime.ofInstant(request.trainedAt(), ZoneOffset.UTC);
        Label[] labelOf = new Label[p.labels.size()];
        for (int c = 0; c < labelOf.length; c++) {
            labelOf[c] = new Label(p.labels.get(c));
            index.put(p.labels.get(c), c);
        }
        Label[] trainLabels = new Label[trainRows.length];
        for (int i = 0; i < trainRows.length; i++) {
            trainLabels[i] = labelOf[trainClass[i]];
        }
        List<Example<Label>> examples = new TableExamples(request.table(), schema).examples(trainRows, trainLabels);
        byRow = new Example[request.table().rowCount()];
        for (int i = 0; i < trainRows.length; i++) {
            byRow[trainRows[i]] = examples.get(i);
        }
    }

    @Override
    public Fitted fit(Map<String, Double> point, int[] rows, int[] klass, String detail,
                      Map<String, Provenance> instance) {
        List<Example<Label>> examples = new ArrayList<>(rows.length);
        for (int r : rows) {
            examples.add(byRow[r]);
        }
        MutableDataset<Label> ds = new MutableDataset<>(examples, new SimpleDataSourceProvenance(
                request.table().source() + (instance == null ? " fold" : " training split"), trainedAt, LABELS),
                LABELS);
        var trainer = Trainers.create(request.model().algorithm(), point, request.model().standardize(),
                request.model().seed(), p.featureCount, varying(ds, p.numeric));
        Model<Label> model;
        try (Heartbeat beat = new Heartbeat(log, "fit", request.model().algorithm().id() + " " + detail + " on "
                + rows.length + " rows", Heartbeat.DEFAULT_PERIOD_MILLIS)) {
            model = instance == null ? trainer.train(ds) : trainer.train(ds, instance);
        }
        // Tribuo stamps its own clock into the provenance; the file must carry the caller's time instead.
        Model<Label> result = instance == null ? model : ProvenanceTimes.at(model, trainedAt);
        return new Fitted() {
            @Override
            public Predictions predict(int[] r) {
                List<Example<Label>> val = new ArrayList<>(r.length);
                for (int row : r) {
                    if (byRow[row] == null) {
                        return null; // not a training-split row: the evaluator featurizes it
                    }
                    val.add(byRow[row]);
                }
                List<Prediction<Label>> preds = result.predict(val);
                int[] predicted = new int[r.length];
                double[][] probs = Evaluator.allProbabilistic(preds) ? new double[r.length][] : null;
                for (int i = 0; i < r.length; i++) {
                    predicted[i] = Evaluator.classOf(preds.get(i), index, request.table(), r[i]);
                    if (probs != null) {
                        probs[i] = Evaluator.probabilities(preds.get(i), p.labels);
                    }
                }
                return new Predictions(predicted, probs);
            }

            @Override
            public Model<Label> model() {
                return result;
            }
        };
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
}
