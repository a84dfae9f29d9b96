package dev.mlops.engine.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.evaluate.Evaluator;
import dev.mlops.engine.evaluate.TableExamples;
import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.spec.Algorithm;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tribuo.classification.LabelFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TrainOutputsTest {

    @Test
    void writesLoadableModelParsableMetricsAndCard(@TempDir Path dir) throws Exception {
        Table t = Synthetic.blobs2(200, 11);
        int[] group = new int[200];
        for (int i = 0; i < 200; i++) {
            group[i] = (i / 2) % 2;
        }
        Table withGroup = Synthetic.with(t, new CategoricalColumn("grp", group, List.of("g1", "g2")));
        DataSpec d = new DataSpec(null, null, "y", "grp", null, null, null, null);
        ModelSpec m = new ModelSpec(Algorithm.LOGISTIC, true, 3L, Map.of("C", List.of(0.1, 1.0)), 2, null, 0.2, null);
        TrainingResult r = Training.run(new TrainingRequest(withGroup, d, m, "churn", "deadbeefcafe", "ab".repeat(32),
                TrainingTest.CLOCK), Log.NONE);

        TrainOutputs.Written w = TrainOutputs.write(r, dir.resolve("out"));

        LoadedModel loaded = ModelArtifact.load(w.model());
        assertThat(loaded.schema()).isEqualTo(r.schema());
        assertThat(loaded.schema().gitSha()).isEqualTo("deadbeefcafe");
        TableExamples ex = new TableExamples(withGroup, loaded.schema());
        for (int row = 0; row < withGroup.rowCount(); row++) {
            var e = ex.example(row, LabelFactory.UNKNOWN_LABEL);
            assertThat(Evaluator.probabilities(loaded.model().predict(e), r.schema().labels()))
                    .containsExactly(Evaluator.probabilities(r.model().predict(e), r.schema().labels()));
        }

        JsonNode json = Json.MAPPER.readTree(Files.readString(w.metrics()));
        assertThat(json.at("/metrics/accuracy").asDouble()).isEqualTo(r.test().metric("accuracy"));
        assertThat(json.at("/metrics/model_size_bytes").asLong()).isEqualTo(Files.size(w.model()));
        assertThat(json.at("/confusion_matrix/matrix")).hasSize(2);
        long cells = 0;
        for (JsonNode rowNode : json.at("/confusion_matrix/matrix")) {
            for (JsonNode c : rowNode) {
                cells += c.asLong();
            }
        }
        assertThat(cells).isEqualTo(r.testRows());
        assertThat(json.at("/per_class/pos/support").asLong()).isEqualTo(r.testRows() / 2);
        assertThat(json.at("/cv")).hasSize(2);
        assertThat(json.at("/chosen_params/C").asDouble()).isEqualTo(r.chosen().get("C"));
        assertThat(json.at("/rows/train").asInt() + json.at("/rows/test").asInt()).isEqualTo(200);
        assertThat(json.at("/fairness/groups")).hasSize(2);
        // measured values live beside metrics.json, which stays reproducible; the gate reads both
        assertThat(json.at("/metrics").has("latency_p99_ms")).isFalse();
        assertThat(json.has("timings_ms")).isFalse();
        assertThat(Json.MAPPER.readTree(Files.readString(w.performance())).at("/metrics/latency_p99_ms").isNumber())
                .isTrue();
        assertThat(TrainOutputs.readMetrics(w.metrics())).containsKeys("accuracy", "latency_p99_ms")
                .containsEntry("latency_p99_ms", r.test().metric("latency_p99_ms"));

        String card = Files.readString(w.card());
        assertThat(card).contains("deadbeefcafe").contains("ab".repeat(32)).contains("logistic")
                .contains("`x0`").contains("Fairness by `grp`").contains("demographic_parity_difference")
                .contains(r.trainRows() + " train / " + r.testRows() + " test")
                .contains("Trainer: `dev.mlops.engine.train.SoftmaxTrainer` (numeric columns standardised");
        try (var files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.tribuo", "metrics.json", "performance.json", "model-card.md");
        }
    }

    @Test
    void evaluatingTheSavedFileReportsItsSize(@TempDir Path dir) {
        Table t = Synthetic.blobs2(100, 12);
        DataSpec d = new DataSpec(null, null, "y", null, null, null, null, null);
        TrainingResult r = Training.run(new TrainingRequest(t, d, new ModelSpec(Algorithm.CART, false, 1L, null, 1, null,
                0.2, null), "m", "sha", "h", TrainingTest.CLOCK), Log.NONE);
        TrainOutputs.Written w = TrainOutputs.write(r, dir);
        var e = Evaluator.evaluate(ModelArtifact.load(w.model()), t, r.testRowIndices(), d, Optional.of(w.model()),
                Log.NONE);
        assertThat(e.metric("model_size_bytes")).isEqualTo((double) w.model().toFile().length());
        assertThat(e.metric("accuracy")).isEqualTo(r.test().metric("accuracy"));
    }

    @Test
    void wholeNumberParametersPrintWithoutAFraction(@TempDir Path dir) throws Exception {
        // issue 8 §3.8: trees=50, not trees=50.0, in metrics.json and the model card
        Table t = Synthetic.blobs2(120, 14);
        DataSpec d = new DataSpec(null, null, "y", null, null, null, null, null);
        ModelSpec m = new ModelSpec(Algorithm.FOREST, false, 1L, Map.of("trees", List.of(3.0, 4.0)), 2, null, 0.2,
                null);
        TrainingResult r = Training.run(new TrainingRequest(t, d, m, "m", "sha", "h", TrainingTest.CLOCK), Log.NONE);
        TrainOutputs.Written w = TrainOutputs.write(r, dir);
        String json = Files.readString(w.metrics());
        JsonNode root = Json.MAPPER.readTree(json);
        assertThat(root.at("/chosen_params/trees").isIntegralNumber()).isTrue();
        assertThat(root.at("/cv/0/params/trees").isIntegralNumber()).isTrue();
        assertThat(json).doesNotContain("3.0").doesNotContain("4.0").doesNotContain("10.0");
        assertThat(Files.readString(w.card())).contains("trees=").doesNotContain(".0,").doesNotContain("=10.0");
    }
}
