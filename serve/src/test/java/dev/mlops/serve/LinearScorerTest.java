package dev.mlops.serve;

import dev.mlops.engine.Log;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.Algorithm;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;
import dev.mlops.engine.train.TrainOutputs;
import dev.mlops.engine.train.Training;
import dev.mlops.engine.train.TrainingRequest;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.Trainer;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.dtree.CARTClassificationTrainer;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformedModel;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The single-row shortcut must answer exactly what Tribuo answers, bit for bit, or not exist for that model. */
class LinearScorerTest {

    @Test
    void binaryAndMulticlassLogisticModelsScoreBitForBitAsTribuo() throws Exception {
        for (String[] labels : List.of(new String[]{"benign", "malignant"}, new String[]{"a", "b", "c"})) {
            ServedModel m = served(train(30, labels, new LibLinearClassificationTrainer(
                    new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01)));
            LinearScorer scorer = m.scorer();
            assertThat(scorer).as("scorer for " + labels.length + " classes").isNotNull();
            Random rnd = new Random(7);
            double[] p = new double[labels.length];
            for (int r = 0; r < 2000; r++) {
                double[] v = new double[30];
                for (int i = 0; i < v.length; i++) {
                    v[i] = rnd.nextGaussian() * (r % 3 == 0 ? 100 : 1);
                }
                Prediction<Label> tribuo = m.loaded().model().predict(m.featurizer().fromNumbers(v));
                int li = scorer.score(v, p);
                assertThat(m.labels().get(li)).isEqualTo(tribuo.getOutput().getLabel());
                for (Map.Entry<String, Label> e : tribuo.getOutputScores().entrySet()) {
                    assertThat(Double.doubleToRawLongBits(p[m.labels().indexOf(e.getKey())]))
                            .as("row " + r + " " + e.getKey())
                            .isEqualTo(Double.doubleToRawLongBits(e.getValue().getScore()));
                }
            }
        }
    }

    /**
     * What {@code logistic} trains now (a TransformedModel of standardisers over a softmax LinearSGDModel, or the bare
     * LinearSGDModel without standardisation) and what {@code sgd} trains (Tribuo's own LinearSGDTrainer behind its
     * TransformTrainer) take the shortcut, and it answers Tribuo's predict bit for bit: the label, and each
     * probability's exact bits, on rows from the training range to a hundred times outside it.
     */
    @Test
    void softmaxModelsTheEngineTrainsScoreBitForBitAsTribuo() throws Exception {
        for (Algorithm algorithm : List.of(Algorithm.LOGISTIC, Algorithm.SGD)) {
            for (int classes : new int[]{2, 3}) {
                for (boolean standardize : new boolean[]{true, false}) {
                    String what = algorithm.id() + ", " + classes + " classes, standardize " + standardize;
                    ServedModel m = served(engineModel(algorithm, classes, standardize));
                    if (standardize) {
                        assertThat(m.loaded().model()).as(what).isInstanceOf(TransformedModel.class);
                    } else if (algorithm == Algorithm.LOGISTIC) {
                        assertThat(m.loaded().model()).as(what).isInstanceOf(LinearSGDModel.class);
                    }
                    LinearScorer scorer = m.scorer();
                    assertThat(scorer).as("scorer for " + what).isNotNull();
                    assertSameAsTribuo(m, scorer, what);
                }
            }
        }
    }

    private static void assertSameAsTribuo(ServedModel m, LinearScorer scorer, String what) {
        Random rnd = new Random(7);
        int n = m.inputNames().length;
        double[] p = new double[m.labels().size()];
        for (int r = 0; r < 3000; r++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian() * (r % 3 == 0 ? 100 : 1) + (r % 5 == 0 ? 1e6 : 0);
            }
            Prediction<Label> tribuo = m.loaded().model().predict(m.featurizer().fromNumbers(v));
            int li = scorer.score(v, p);
            assertThat(m.labels().get(li)).as(what + ", row " + r).isEqualTo(tribuo.getOutput().getLabel());
            for (Map.Entry<String, Label> e : tribuo.getOutputScores().entrySet()) {
                assertThat(Double.doubleToRawLongBits(p[m.labels().indexOf(e.getKey())]))
                        .as(what + ", row " + r + " " + e.getKey())
                        .isEqualTo(Double.doubleToRawLongBits(e.getValue().getScore()));
            }
        }
    }

    @Test
    void theShortcutAndTheGeneralPathWriteTheSameResponse() throws Exception {
        sameResponses(served(train(5, new String[]{"neg", "pos"}, new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01))));
        ServedModel softmax = served(engineModel(Algorithm.LOGISTIC, 3, true));
        assertThat(softmax.scorer()).isNotNull();
        sameResponses(softmax);
    }

    private static void sameResponses(ServedModel m) throws Exception {
        Predictor p = new Predictor(m, 10, new Metrics(m));
        Random rnd = new Random(3);
        String[] names = m.inputNames();
        for (int r = 0; r < 200; r++) {
            StringBuilder features = new StringBuilder();
            StringBuilder named = new StringBuilder();
            for (int i = 0; i < names.length; i++) {
                double d = rnd.nextGaussian();
                features.append(i == 0 ? "" : ",").append(d);
                named.append(i == 0 ? "" : ",").append("\"").append(names[i]).append("\":").append(d);
            }
            byte[] fast = body("{\"features\":[" + features + "]}");
            byte[] general = body("{\"inputs\":{" + named + "}}");
            assertThat(new String(p.predict(fast, fast.length), StandardCharsets.UTF_8))
                    .isEqualTo(new String(p.predict(general, general.length), StandardCharsets.UTF_8));
        }
    }

    @Test
    void otherModelsHaveNoShortcut() throws Exception {
        assertThat(served(train(3, new String[]{"neg", "pos"}, new CARTClassificationTrainer(4))).scorer()).isNull();
        assertThat(served(train(3, new String[]{"neg", "pos"}, new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_L2LOSS_SVC), 1.0, 1000, 0.01)))
                .scorer()).as("no probabilities").isNull();
    }

    /**
     * A model trained by the engine as {@code mlops train} trains it: 6 numeric inputs on different scales, one of
     * them constant (so it has no standardiser), one grid point, folds 1.
     */
    private static Path engineModel(Algorithm algorithm, int classes, boolean standardize) throws Exception {
        int rows = 400;
        Random rnd = new Random(classes * 31L + (standardize ? 1 : 0));
        double[][] x = new double[6][rows];
        int[] label = new int[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int i = 0; i < 6; i++) {
                x[i][r] = i == 4 ? 2.5 : rnd.nextGaussian() * (1 + 10 * i) + i;
                s += (i % 2 == 0 ? 1 : -1) * x[i][r] / (1 + 10 * i);
            }
            s += rnd.nextGaussian() * 0.5;
            label[r] = classes == 2 ? (s > 0 ? 1 : 0) : (s < -0.7 ? 0 : s < 0.7 ? 1 : 2);
        }
        List<Column> columns = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            columns.add(new NumericColumn("x" + i, x[i]));
        }
        List<String> levels = classes == 2 ? List.of("no", "yes") : List.of("high", "low", "mid");
        columns.add(new CategoricalColumn("label", label, levels));
        Table table = new Table("scorer.csv", columns);
        Map<String, List<Double>> grid = algorithm == Algorithm.LOGISTIC ? Map.of("C", List.of(1.0))
                : Map.of("epochs", List.of(5.0), "learningRate", List.of(0.1));
        ModelSpec spec = new ModelSpec(algorithm, standardize, 42L, grid, 1, null, 0.2, null);
        var result = Training.run(new TrainingRequest(table, new DataSpec(null, null, "label", null, null, null,
                null, null), spec, "scorer", "abc", "0".repeat(64), null), Log.NONE);
        Path dir = Files.createTempDirectory("scorer");
        return TrainOutputs.write(result, dir).model();
    }

    private static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ServedModel served(Path file) {
        LoadedModel loaded = ModelArtifact.load(file);
        return new ServedModel(loaded, null, "1", "test");
    }

    private static Path train(int n, String[] labels, Trainer<Label> trainer) throws Exception {
        String[] names = new String[n];
        List<ModelSchema.Input> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names[i] = "f" + i;
            inputs.add(new ModelSchema.Input(names[i], ColumnType.NUMERIC, null));
        }
        ModelSchema schema = new ModelSchema(ModelSchema.FORMAT_VERSION, "scorer", "label", inputs, List.of(labels),
                labels[labels.length - 1], "logistic", Map.of(), "abc", "0".repeat(64), "2026-01-01T00:00:00Z");
        LabelFactory factory = new LabelFactory();
        Random rnd = new Random(11);
        List<Example<Label>> rows = new ArrayList<>();
        for (int r = 0; r < 600; r++) {
            double[] v = new double[n];
            double s = 0;
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian();
                s += (i % 3 == 0 ? 1 : -0.5) * v[i];
            }
            int k = labels.length == 2 ? (s > 0 ? 1 : 0) : (int) Math.floorMod(Math.round(s), labels.length);
            rows.add(new ArrayExample<>(new Label(labels[k]), names, v));
        }
        var source = new ListDataSource<>(rows, factory, new SimpleDataSourceProvenance("scorer rows", factory));
        Model<Label> model = trainer.train(new MutableDataset<>(source), ModelArtifact.provenance(schema));
        Path file = Files.createTempDirectory("scorer").resolve("m.tribuo");
        ModelArtifact.save(model, file);
        return file;
    }
}
