package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SmokeSpecCsvTest {
    @TempDir
    Path dir;

    @Test
    void bundledSmokeSamplesLoadAsThirtyFeaturesAndTheirLabels() {
        SmokeSpec s = SmokeSpec.fromCsv(Path.of("..", "examples", "breast-cancer", "data", "smoke.csv"), null, null, null);
        assertThat(s.rows()).hasSize(20).allSatisfy(r -> assertThat(r).hasSize(30));
        assertThat(s.expected()).hasSize(20).containsOnly("malignant", "benign");
        assertThat(s.expected().stream().filter("malignant"::equals).count()).isEqualTo(8); // as DATA.md says
        assertThat(s.rows().get(0).get(0)).isEqualTo(17.99); // first data row of breast_cancer.csv
    }

    @Test
    void quotedLabelsAndCrlfAreReadLikeTrainingData() throws Exception {
        Path f = dir.resolve("s.csv");
        Files.writeString(f, "a,b,label\r\n1.5,2,\"yes, really\"\r\n-1,0,no\r\n");
        SmokeSpec s = SmokeSpec.fromCsv(f, 0.5, null, null);
        assertThat(s.rows()).containsExactly(java.util.List.of(1.5, 2.0), java.util.List.of(-1.0, 0.0));
        assertThat(s.expected()).containsExactly("yes, really", "no");
        assertThat(s.minAgreement()).isEqualTo(0.5);
    }

    @Test
    void badSamplesAreInputErrorsNamingFileAndPlace() throws Exception {
        Path nan = dir.resolve("nan.csv");
        Files.writeString(nan, "a,label\n1,x\nNaN,y\n");
        assertThatThrownBy(() -> SmokeSpec.fromCsv(nan, null, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("nan.csv").hasMessageContaining("line 3");
        Path text = dir.resolve("text.csv");
        Files.writeString(text, "a,b,label\n1,red,x\n");
        assertThatThrownBy(() -> SmokeSpec.fromCsv(text, null, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("column 'b' must be numeric");
        Path oneColumn = dir.resolve("one.csv");
        Files.writeString(oneColumn, "label\nx\n");
        assertThatThrownBy(() -> SmokeSpec.fromCsv(oneColumn, null, null, null)).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> SmokeSpec.fromCsv(dir.resolve("none.csv"), null, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("none.csv");
    }

    @Test
    void agreementOutsideZeroToOneIsAnInputError() {
        assertThatThrownBy(() -> new SmokeSpec(null, null, 2.0, null, null))
                .isInstanceOf(InputException.class).hasMessageContaining("minAgreement must be in [0, 1], got 2.0");
    }
}
