package dev.mlops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.tracking.MlflowTestServer;
import dev.mlops.engine.tracking.RecordingLog;
import dev.mlops.engine.tracking.RunInfo;
import dev.mlops.engine.tracking.Timeouts;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.tracking.TrackingCredentials;
import dev.mlops.engine.tracking.Trackers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Classes whose names MLflow refuses inside metric names, such as the UCI Adult set's {@code <=50K} and {@code >50K}:
 * the bundled example relabelled so, trained and gated against the in-test MLflow server (which refuses such metric
 * names as a real one does) and the local store. Per-class metrics spell the class {@code le50K} / {@code gt50K}
 * everywhere: the tracked run, metrics.json, the gate, selectBy.
 */
class ClassLabelMetricNamesTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private Engine engine() {
        return new Engine(Example.context(dir, log, Map.of()));
    }

    /** The example with malignant/benign renamed to {@code positive}/{@code negative} in its data and spec. */
    private void relabel(String positive, String negative) throws IOException {
        Example.copy(dir);
        try (Stream<Path> files = Files.list(dir.resolve("data"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".csv")).toList()) {
                Files.writeString(f, Files.readString(f).replace("malignant", positive).replace("benign", negative));
            }
        }
        Path spec = dir.resolve("mlops.yaml");
        Files.writeString(spec, Files.readString(spec)
                .replace("positiveClass: malignant", "positiveClass: '" + positive + "'")
                .replace("values: [malignant, benign]", "values: ['" + positive + "', '" + negative + "']")
                .replace("recall.malignant", "recall.gt50K"));
    }

    @Test
    void adultLabelsTrainAndGateOnAnMlflowServer() throws Exception {
        relabel(">50K", "<=50K");
        try (MlflowTestServer server = MlflowTestServer.start()) {
            List<String> set = List.of("model.selectBy=f1.gt50K", "gate.metrics.\"f1.le50K\".min=0.9");
            TrainResult trained = engine().train(new TrainRequest("mlops.yaml").withOverrides(set)
                    .withTrackingUri(server.uri()));
            assertThat(trained.exitCode()).as(String.valueOf(log.lines())).isZero();
            assertThat(trained.metrics()).containsKeys("precision.gt50K", "recall.gt50K", "f1.gt50K",
                    "precision.le50K", "recall.le50K", "f1.le50K");

            try (Tracker t = Trackers.open(server.uri(), dir, TrackingCredentials.NONE, Timeouts.DEFAULTS, log)) {
                RunInfo run = t.getRun(trained.runId());
                assertThat(run.metrics()).containsKeys("f1.gt50K", "f1.le50K", "recall.gt50K")
                        .allSatisfy((k, v) -> assertThat(k).doesNotContain("<", ">", "="));
                assertThat(run.params()).containsEntry("select_by", "f1.gt50K");
            }
            JsonNode metrics = Json.MAPPER.readTree(dir.resolve("out/metrics.json").toFile());
            assertThat(metrics.path("metrics").has("f1.le50K")).isTrue();
            assertThat(metrics.path("select_by").asText()).isEqualTo("f1.gt50K");
            assertThat(metrics.path("metric_labels").path("le50K").asText()).isEqualTo("<=50K");
            assertThat(metrics.path("metric_labels").path("gt50K").asText()).isEqualTo(">50K");
            assertThat(metrics.path("per_class").path("<=50K").path("f1").asDouble())
                    .isEqualTo(metrics.path("metrics").path("f1.le50K").asDouble());
            assertThat(Files.readString(dir.resolve("out/model-card.md")))
                    .contains("| recall.gt50K |").contains("'<=50K' as le50K").contains("'>50K' as gt50K");

            GateResult gate = engine().gate(new GateRequest("mlops.yaml").withOverrides(set)
                    .withTrackingUri(server.uri()));
            assertThat(gate.passed()).as(gate.failures().toString()).isTrue();
            assertThat(Files.readString(dir.resolve("out/reports/gate.json"))).contains("recall.gt50K")
                    .contains("f1.le50K");
        }
    }

    @Test
    void theLocalStoreTakesTheSameNames() throws Exception {
        relabel(">50K", "<=50K");
        TrainResult trained = engine().train(new TrainRequest("mlops.yaml"));
        assertThat(trained.exitCode()).as(String.valueOf(log.lines())).isZero();
        try (Stream<Path> runs = Files.walk(dir.resolve("mlruns"))) {
            assertThat(runs.filter(p -> p.getParent().getFileName().toString().equals("metrics"))
                    .map(p -> p.getFileName().toString())).contains("f1.le50K", "f1.gt50K");
        }
    }

    @Test
    void aPolicyThatSpellsTheClassAsInTheDataIsToldTheMetricsNameBeforeTraining() throws Exception {
        relabel(">50K", "<=50K");
        assertThatThrownBy(() -> engine().train(new TrainRequest("mlops.yaml")
                .withOverrides(List.of("gate.metrics.\"f1.<=50K\".min=0.9"))))
                .isInstanceOf(InputException.class).hasMessageContaining("gate.metrics.\"f1.<=50K\"")
                .hasMessageContaining("f1.le50K");
        assertThatThrownBy(() -> engine().train(new TrainRequest("mlops.yaml")
                .withOverrides(List.of("model.selectBy=f1.>50K"))))
                .isInstanceOf(InputException.class).hasMessageContaining("model.selectBy")
                .hasMessageContaining("f1.gt50K");
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        assertThat(dir.resolve("mlruns")).doesNotExist();
    }

    @Test
    void twoClassesThatWouldShareMetricNamesAreRefusedBeforeTraining() throws Exception {
        relabel("yes/no", "yes:no");
        assertThatThrownBy(() -> engine().train(new TrainRequest("mlops.yaml")))
                .isInstanceOf(InputException.class).hasMessageContaining("'yes/no'").hasMessageContaining("'yes:no'")
                .hasMessageContaining("yes_no");
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        assertThat(dir.resolve("mlruns")).doesNotExist();
    }
}
