package dev.mlops.engine.model;

import dev.mlops.engine.InputException;
import dev.mlops.engine.testing.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelArtifactTest {
    @TempDir
    Path dir;

    @Test
    void savedModelLoadsWithItsSchemaAndPredictsTheSeparatingRule() throws Exception {
        Path file = dir.resolve("models/model.tribuo");
        ModelSchema schema = TestModels.writeLinearModel(file, "demo", "abc123");

        LoadedModel loaded = ModelArtifact.load(file);

        assertThat(loaded.schema()).isEqualTo(schema);
        assertThat(loaded.sizeBytes()).isEqualTo(Files.size(file));
        assertThat(loaded.sha256()).isEqualTo(ModelArtifact.sha256(file)).hasSize(64);
        Featurizer f = loaded.featurizer();
        assertThat(loaded.predict(f.fromNumbers(new double[]{2, 2, 0})).label()).isEqualTo("pos");
        assertThat(loaded.predict(f.fromNumbers(new double[]{-2, -2, 0})).label()).isEqualTo("neg");
        Scored s = loaded.predict(f.fromNamed(Map.of("x0", 3.0, "x1", 1.0, "x2", -5.0)));
        assertThat(s.probabilities()).containsOnlyKeys("neg", "pos");
        assertThat(s.probabilities().get("pos")).isGreaterThan(0.9);
        assertThat(s.probabilities().values().stream().mapToDouble(Double::doubleValue).sum()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aJavaSerializedFileIsRejectedWithoutBeingDeserialized() throws Exception {
        Path file = dir.resolve("evil.tribuo");
        try (var out = new ObjectOutputStream(Files.newOutputStream(file))) {
            out.writeObject(new ArrayList<>(List.of("payload")));
        }
        assertThatThrownBy(() -> ModelArtifact.load(file))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("evil.tribuo").hasMessageContaining("not a Tribuo protobuf model");
    }

    @Test
    void missingAndGarbageFilesNameTheFile() throws Exception {
        assertThatThrownBy(() -> ModelArtifact.load(dir.resolve("nope.tribuo")))
                .isInstanceOf(InputException.class).hasMessageContaining("nope.tribuo").hasMessageContaining("not found");
        Path junk = dir.resolve("junk.tribuo");
        Files.writeString(junk, "hello, I am not a model");
        assertThatThrownBy(() -> ModelArtifact.load(junk)).isInstanceOf(InputException.class).hasMessageContaining("junk.tribuo");
    }

    @Test
    void featurizerRejectsRequestsThatDoNotFitTheInputs() {
        Featurizer f = new Featurizer(TestModels.linearSchema("demo", "sha"));
        assertThatThrownBy(() -> f.fromNumbers(new double[]{1, 2})).isInstanceOf(FeatureException.class).hasMessage("expected 3 features, got 2");
        assertThatThrownBy(() -> f.fromNumbers(new double[]{1, Double.NaN, 2})).hasMessageContaining("'x1' is not a finite number");
        assertThatThrownBy(() -> f.fromNamed(Map.of("x0", 1, "x1", 2, "x9", 3))).hasMessageContaining("unknown feature 'x9'");
        assertThatThrownBy(() -> f.fromNamed(Map.of("x0", 1, "x1", 2))).hasMessageContaining("missing feature 'x2'");
        assertThatThrownBy(() -> f.fromValues(List.of(1, "a", 3))).hasMessageContaining("'x1' must be a number, got 'a'");
    }
}
