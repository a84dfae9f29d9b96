package dev.mlops.engine.train;

import dev.mlops.engine.Log;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.evaluate.Evaluator;
import dev.mlops.engine.evaluate.Predictions;
import dev.mlops.engine.evaluate.TableExamples;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.transform.TransformedModel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SoftmaxTrainerTest {

    /** Three classes, a numeric input with gaps, a constant input and a categorical input. */
    static Table mixed(int n, long seed) {
        Random rnd = new Random(seed);
        double[] a = new double[n];
        double[] k = new double[n];
        int[] colour = new int[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % 3;
            a[i] = i % 17 == 0 ? Double.NaN : y[i] * 1.5 + rnd.nextGaussian();
            k[i] = 4.0;
            colour[i] = rnd.nextInt(4) == 0 ? -1 : (y[i] + rnd.nextInt(2)) % 3;
        }
        return new Table("mixed", List.of(new NumericColumn("a", a), new NumericColumn("k", k),
                new CategoricalColumn("colour", colour, List.of("r", "g", "b")),
                new CategoricalColumn("y", y, List.of("p", "q", "s"))));
    }

    static List<ModelSchema.Input> inputs() {
        return List.of(new ModelSchema.Input("a", ColumnType.NUMERIC, null),
                new ModelSchema.Input("k", ColumnType.NUMERIC, null),
                new ModelSchema.Input("colour", ColumnType.CATEGORICAL, List.of("r", "g", "b")));
    }

    static int[] classes(Table t) {
        return ((CategoricalColumn) t.column("y")).codes();
    }

    static int[] range(int from, int to) {
        return java.util.stream.IntStream.range(from, to).toArray();
    }

    @Test
    void predictionsOnArraysEqualTheSavedTribuoModelsBitForBit(@TempDir Path dir) {
        Table t = mixed(600, 1);
        DesignMatrix x = DesignMatrix.of(t, inputs());
        int[] train = range(0, 450);
        SoftmaxTrainer.Fitted fitted = new SoftmaxTrainer(0.5, true, 1000, 1e-6)
                .fit(x, train, Training.select(classes(t), train), List.of("p", "q", "s"), Log.NONE, "test");
        assertThat(fitted.fit.converged()).isTrue();
        Model<Label> model = fitted.model(new SimpleDataSourceProvenance("mixed", OffsetDateTime.parse(
                "2024-01-01T00:00:00Z"), new LabelFactory()), OffsetDateTime.parse("2024-01-01T00:00:00Z"), Map.of());
        assertThat(model).isInstanceOf(TransformedModel.class);
        assertThat(((TransformedModel<Label>) model).getInnerModel()).isInstanceOf(LinearSGDModel.class);
        // the stored form is what a plain Tribuo reads back
        Path file = dir.resolve("m.tribuo");
        ModelArtifact.save(model, file);
        Model<?> loaded;
        try {
            loaded = Model.deserialize(ModelProto.parseFrom(Files.readAllBytes(file)));
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        ModelSchema schema = new ModelSchema(1, "m", "y", inputs(), List.of("p", "q", "s"), null, "logistic",
                Map.of(), "s", "h", "t");
        TableExamples examples = new TableExamples(t, schema);
        int[] test = range(450, 600);
        Predictions onArrays = fitted.predict(test);
        for (int i = 0; i < test.length; i++) {
            Example<Label> e = examples.example(test[i], LabelFactory.UNKNOWN_LABEL);
            var p = loaded.castModel(Label.class).predict(e);
            assertThat(onArrays.probabilities()[i]).as("row %d", test[i])
                    .containsExactly(Evaluator.probabilities(p, List.of("p", "q", "s")));
            assertThat(List.of("p", "q", "s").get(onArrays.classes()[i])).isEqualTo(p.getOutput().getLabel());
        }
        // the constant column carries no weight and is not standardised
        assertThat(((TransformedModel<Label>) model).getTransformerMap().get("k")).isNull();
        assertThat(((TransformedModel<Label>) model).getTransformerMap().get("a")).isNotNull();
    }

    @Test
    void theTribuoDatasetPathFitsTheSameModelAsTheArrayPath() {
        Table t = mixed(300, 2);
        List<ModelSchema.Input> numeric = List.of(new ModelSchema.Input("a", ColumnType.NUMERIC, null),
                new ModelSchema.Input("k", ColumnType.NUMERIC, null));
        DesignMatrix x = DesignMatrix.of(t, numeric);
        int[] all = range(0, 300);
        SoftmaxTrainer.Fitted arrays = new SoftmaxTrainer(1.0, true, 1000, 1e-8)
                .fit(x, all, classes(t), List.of("p", "q", "s"), Log.NONE, "test");
        LabelFactory f = new LabelFactory();
        List<Example<Label>> list = new ArrayList<>();
        double[] a = ((NumericColumn) t.column("a")).values();
        for (int i = 0; i < 300; i++) {
            Label l = new Label(List.of("p", "q", "s").get(classes(t)[i]));
            list.add(Double.isNaN(a[i]) ? new ArrayExample<>(l, new String[]{"k"}, new double[]{4.0})
                    : new ArrayExample<>(l, new String[]{"a", "k"}, new double[]{a[i], 4.0}));
        }
        var ds = new MutableDataset<>(list, new SimpleDataSourceProvenance("list", f), f);
        Model<Label> viaTribuo = new SoftmaxTrainer(1.0, true, 1000, 1e-8).train(ds);
        double[][] p = arrays.predict(all).probabilities();
        for (int i = 0; i < 300; i++) {
            double[] q = Evaluator.probabilities(viaTribuo.predict(list.get(i)), List.of("p", "q", "s"));
            for (int c = 0; c < 3; c++) {
                assertThat(q[c]).isCloseTo(p[i][c], within(1e-9));
            }
        }
        assertThat(viaTribuo.getProvenance().getTrainerProvenance().getClassName())
                .isEqualTo(SoftmaxTrainer.class.getName());
    }

    @Test
    void gradientIsTheObjectivesDerivative() {
        for (int classes : new int[]{2, 3}) {
            Table t = mixed(200, 3);
            int[] y = Arrays.stream(classes(t)).map(c -> Math.min(c, classes - 1)).toArray();
            DesignMatrix x = DesignMatrix.of(t, inputs());
            int d = x.features();
            double[] shift = new double[d];
            double[] scale = new double[d];
            Arrays.fill(scale, 1);
            scale[Arrays.asList(x.names).indexOf("k")] = 0;
            Softmax s = new Softmax(x, range(0, 200), y, classes, shift, scale, 0.3);
            int k = classes == 2 ? 1 : classes;
            Random rnd = new Random(4);
            double[] w = new double[k * (d + 1)];
            for (int i = 0; i < w.length; i++) {
                w[i] = rnd.nextGaussian() * 0.3;
            }
            for (int v = 0; v < k; v++) {
                w[v * (d + 1) + Arrays.asList(x.names).indexOf("k")] = 0; // a dropped feature stays at 0
            }
            double[] g = new double[w.length];
            s.evaluate(w, g);
            double[] ignored = new double[w.length];
            for (int i = 0; i < w.length; i++) {
                if (i % (d + 1) == Arrays.asList(x.names).indexOf("k")) {
                    assertThat(g[i]).isZero();
                    continue;
                }
                double h = 1e-6;
                double[] up = w.clone();
                double[] down = w.clone();
                up[i] += h;
                down[i] -= h;
                double numeric = (s.evaluate(up, ignored) - s.evaluate(down, ignored)) / (2 * h);
                assertThat(g[i]).as("%d classes, parameter %d", classes, i).isCloseTo(numeric, within(1e-6));
            }
        }
    }
}
