package dev.mlops.serve;

import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
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

    @Test
    void theShortcutAndTheGeneralPathWriteTheSameResponse() throws Exception {
        ServedModel m = served(train(5, new String[]{"neg", "pos"}, new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01)));
        Predictor p = new Predictor(m, 10, new Metrics(m));
        Random rnd = new Random(3);
        for (int r = 0; r < 200; r++) {
            StringBuilder features = new StringBuilder();
            StringBuilder named = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                double d = rnd.nextGaussian();
                features.append(i == 0 ? "" : ",").append(d);
                named.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":").append(d);
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
