package dev.mlops.engine.evaluate;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class EvaluatorTest {

    /**
     * The fixture model says "pos" iff x0 + x1 > 0 (TestModels). Rows use x0 + x1 = +-3, far from the boundary, so
     * its predictions equal the labels and the fairness figures follow from the labels alone:
     * group f: 3 pos of 5 -> SR 0.6; group m: 1 pos of 5 -> SR 0.2; both TPR = 1.
     */
    @Test
    void perfectModelFairnessFollowsBaseRates(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("m.tribuo");
        TestModels.writeLinearModel(file, "demo", "sha");
        LoadedModel model = ModelArtifact.load(file);
        String[] y = {"pos", "pos", "pos", "neg", "neg", "pos", "neg", "neg", "neg", "neg"};
        int[] sex = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        double[] x0 = new double[10];
        double[] x1 = new double[10];
        int[] label = new int[10];
        for (int i = 0; i < 10; i++) {
            double s = y[i].equals("pos") ? 1.5 : -1.5;
            x0[i] = s;
            x1[i] = s;
            label[i] = y[i].equals("pos") ? 1 : 0;
        }
        Table t = new Table("fair.csv", List.of(new NumericColumn("x0", x0), new NumericColumn("x1", x1),
                new NumericColumn("x2", new double[10]), new CategoricalColumn("label", label, List.of("neg", "pos")),
                new CategoricalColumn("sex", sex, List.of("f", "m"))));
        DataSpec d = new DataSpec(null, null, "label", "sex", null, null, null, null);
        Evaluation e = Evaluator.evaluate(model, t, null, d, Optional.of(file), Log.NONE);

        assertThat(e.metric("accuracy")).isEqualTo(1.0);
        assertThat(e.metric("roc_auc")).isEqualTo(1.0);
        assertThat(e.metric("demographic_parity_difference")).isCloseTo(0.4, within(1e-12)); // 0.6 - 0.2
        assertThat(e.metric("disparate_impact_ratio")).isCloseTo(1.0 / 3, within(1e-12));  // 0.2 / 0.6
        assertThat(e.metric("equal_opportunity_difference")).isCloseTo(0.0, within(1e-12));
        assertThat(e.metric("model_size_bytes")).isEqualTo((double) Files.size(file));
        assertThat(e.metric("latency_p50_ms")).isPositive();
        assertThat(e.metric("latency_p99_ms")).isGreaterThanOrEqualTo(e.metric("latency_p95_ms"))
                .isGreaterThanOrEqualTo(e.metric("latency_p50_ms"));
        assertThat(e.confusionMatrix()).isEqualTo(new long[][]{{6, 0}, {0, 4}});
        assertThat(e.fairness().groups()).extracting(FairnessReport.Group::selectionRate).containsExactly(0.6, 0.2);
        assertThat(e.metrics().keySet()).allMatch(MetricCatalog::isKnown);
    }

    @Test
    void unknownLabelInTestDataNamesTheRow(@TempDir Path dir) {
        Path file = dir.resolve("m.tribuo");
        TestModels.writeLinearModel(file, "demo", "sha");
        Table t = new Table("new.csv", List.of(new NumericColumn("x0", new double[]{1, 2}),
                new NumericColumn("x1", new double[]{1, 2}), new NumericColumn("x2", new double[]{1, 2}),
                new CategoricalColumn("label", new int[]{0, 1}, List.of("pos", "maybe"))));
        assertThatThrownBy(() -> Evaluator.evaluate(ModelArtifact.load(file), t, null,
                new DataSpec(null, null, "label", null, null, null, null, null), Optional.empty(), Log.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("new.csv").hasMessageContaining("row 2").hasMessageContaining("'maybe'");
    }

    @Test
    void wrongColumnTypeIsAnInputError(@TempDir Path dir) {
        Path file = dir.resolve("m.tribuo");
        TestModels.writeLinearModel(file, "demo", "sha");
        Table t = new Table("typed.csv", List.of(new NumericColumn("x0", new double[]{1}),
                new CategoricalColumn("x1", new int[]{0}, List.of("a")), new NumericColumn("x2", new double[]{1}),
                new CategoricalColumn("label", new int[]{0}, List.of("pos"))));
        assertThatThrownBy(() -> Evaluator.evaluate(ModelArtifact.load(file), t, null,
                new DataSpec(null, null, "label", null, null, null, null, null), Optional.empty(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("'x1'").hasMessageContaining("numeric");
    }
}
