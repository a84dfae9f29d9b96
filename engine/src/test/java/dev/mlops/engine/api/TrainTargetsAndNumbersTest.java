package dev.mlops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.tracking.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code mlops train} (the engine's train operation) says about targets that are not class labels, and how it
 * prints hyperparameters: issue 8 §3.5 and §3.8, issue 9 §20, through the one door every front end uses.
 */
class TrainTargetsAndNumbersTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private Engine engine() {
        return new Engine(Example.context(dir, log, Map.of()));
    }

    @Test
    void aContinuousTargetIsOneShortLineAndNothingIsWritten() {
        // issue 8 §3.5: the example's gate names roc_auc and recall.malignant, so every message listing the
        // "classes" (456 values of mean_radius) ran to kilobytes
        Example.copy(dir);
        assertThatThrownBy(() -> engine().train(new TrainRequest("mlops.yaml")
                .withOverrides(List.of("data.target=mean_radius"))))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(((InputException) e).exitCode()).isEqualTo(ExitCodes.INPUT))
                .satisfies(e -> assertThat(e.getMessage()).contains("'mean_radius'").contains("continuous")
                        .contains("only classification").doesNotContain("\n").hasSizeLessThan(300));
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        assertThat(dir.resolve("mlruns")).doesNotExist();
    }

    @Test
    void fiveThousandLabelsAreRefusedNamingTheBoundWhichIsConfigurable() throws Exception {
        // issue 9 §20: 5,000 labels trained for minutes with no progress line; now a bound, before training
        StringBuilder csv = new StringBuilder("a,b,who\n");
        for (int i = 0; i < 10_000; i++) {
            csv.append(i % 7).append(',').append(i % 11).append(",user").append(i % 5_000).append('\n');
        }
        Files.writeString(dir.resolve("users.csv"), csv);
        Files.writeString(dir.resolve("mlops.yaml"), "name: users\ndata: {path: users.csv, target: who}\n"
                + "model: {grid: {C: [1.0]}, folds: 1}\n");
        assertThatThrownBy(() -> engine().train(new TrainRequest("mlops.yaml").withTrack(false)))
                .isInstanceOf(InputException.class)
                .satisfies(e -> assertThat(e.getMessage()).contains("'who' has 5000 classes")
                        .contains("model.maxClasses = 100").doesNotContain("\n").hasSizeLessThan(300));
        // the bound is the spec's: a tighter one refuses a 3-class target the default accepts
        StringBuilder three = new StringBuilder("a,b,y\n");
        for (int i = 0; i < 90; i++) {
            three.append(i % 3 * 10 + i * 0.01).append(',').append(i).append(',').append("xyz".charAt(i % 3)).append('\n');
        }
        Files.writeString(dir.resolve("three.csv"), three);
        Files.writeString(dir.resolve("three.yaml"), "name: three\ndata: {path: three.csv, target: y}\n"
                + "model: {grid: {C: [1.0]}, folds: 1}\n");
        assertThatThrownBy(() -> engine().train(new TrainRequest("three.yaml").withTrack(false)
                .withOverrides(List.of("model.maxClasses=2"))))
                .isInstanceOf(InputException.class).hasMessageContaining("3 classes, more than model.maxClasses = 2");
        assertThat(engine().train(new TrainRequest("three.yaml").withTrack(false)).exitCode()).isZero();
    }

    @Test
    void wholeNumberParametersPrintAsGivenInLogsResultsFilesAndTracking() throws Exception {
        // issue 8 §3.8: trees=50, not trees=50.0
        Example.copy(dir);
        Files.writeString(dir.resolve("forest.yaml"), Files.readString(dir.resolve("mlops.yaml"))
                .replace("algorithm: logistic", "algorithm: forest")
                .replace("C: [0.01, 0.1, 1.0, 10.0]", "{trees: [3, 4], maxDepth: [5]}")
                .replace("folds: 5", "folds: 2"));
        TrainResult r = engine().train(new TrainRequest("forest.yaml"));
        assertThat(r.exitCode()).isZero();

        // the --json form and train.json, which read back equal
        assertThat(Json.write(r.chosen())).doesNotContain(".0");
        assertThat(Json.MAPPER.readValue(Json.write(r), TrainResult.class)).isEqualTo(r);
        JsonNode trainJson = Json.MAPPER.readTree(dir.resolve("out/train.json").toFile());
        assertThat(trainJson.at("/chosen/maxDepth").isIntegralNumber()).isTrue();
        assertThat(trainJson.at("/chosen/trees").isIntegralNumber()).isTrue();
        JsonNode metrics = Json.MAPPER.readTree(dir.resolve("out/metrics.json").toFile());
        assertThat(metrics.at("/chosen_params/maxDepth").isIntegralNumber()).isTrue();
        assertThat(metrics.at("/cv/1/params/trees").asText()).isEqualTo("4");
        assertThat(Files.readString(dir.resolve("out/model-card.md"))).contains("trees=4, maxDepth=5")
                .doesNotContain("=4.0").doesNotContain("=5.0");
        assertThat(log.lines()).anyMatch(l -> l.contains("trees=3, maxDepth=5"))
                .noneMatch(l -> l.matches(".*(trees|maxDepth)=\\d+\\.0.*"));
        // the tracked run's params, as MLflow shows them
        try (Stream<Path> params = Files.walk(dir.resolve("mlruns"))) {
            List<Path> depth = params.filter(p -> p.toString().endsWith("/params/maxDepth")).toList();
            assertThat(depth).hasSize(1);
            assertThat(Files.readString(depth.get(0)).trim()).isEqualTo("5");
        }
    }
}
