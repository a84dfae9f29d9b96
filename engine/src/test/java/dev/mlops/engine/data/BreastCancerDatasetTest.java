package dev.mlops.engine.data;

import dev.mlops.engine.Log;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.Verdict;
import dev.mlops.engine.spec.DataSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The bundled example: UCI Breast Cancer Wisconsin (Diagnostic); counts as published by UCI (212 M, 357 B). */
class BreastCancerDatasetTest {
    private static Path dataDir() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("examples/breast-cancer/data"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("examples/breast-cancer/data above " + Path.of("").toAbsolutePath()).isNotNull();
        return dir.resolve("examples/breast-cancer/data");
    }

    @Test
    void loadsWith569Rows31ColumnsAndThePublishedClassCounts() {
        Table t = CsvReader.read(dataDir().resolve("breast_cancer.csv"), Map.of(), Log.NONE);
        assertThat(t.rowCount()).isEqualTo(569);
        assertThat(t.columns()).hasSize(31);
        assertThat(t.columnNames()).startsWith("mean_radius", "mean_texture").endsWith("worst_fractal_dimension",
                "diagnosis");
        assertThat(t.columns().subList(0, 30)).allMatch(c -> c instanceof NumericColumn && c.missingCount() == 0);
        CategoricalColumn d = (CategoricalColumn) t.column("diagnosis");
        long malignant = 0;
        long benign = 0;
        for (int r = 0; r < d.size(); r++) {
            malignant += "malignant".equals(d.text(r)) ? 1 : 0;
            benign += "benign".equals(d.text(r)) ? 1 : 0;
        }
        assertThat(malignant).isEqualTo(212);
        assertThat(benign).isEqualTo(357);
        // First record of the UCI file (ID 842302): radius 17.99, texture 10.38, malignant.
        assertThat(((NumericColumn) t.column("mean_radius")).get(0)).isEqualTo(17.99);
        assertThat(((NumericColumn) t.column("mean_texture")).get(0)).isEqualTo(10.38);
        assertThat(d.text(0)).isEqualTo("malignant");
    }

    @Test
    void fingerprintMatchesDataMd() {
        // Digest from sha256sum, recorded in examples/breast-cancer/DATA.md.
        assertThat(DataFingerprint.sha256(dataDir().resolve("breast_cancer.csv")))
                .isEqualTo("518936fa92ca3d8a78c420aee22030c4e519ffcba3be15dd23e83f2fc22e20e5");
    }

    @Test
    void passesTheDefaultDataChecksAgainstItsReferenceSample() {
        Table t = CsvReader.read(dataDir().resolve("breast_cancer.csv"), Map.of(), Log.NONE);
        Table ref = CsvReader.read(dataDir().resolve("reference.csv"), Map.of(), Log.NONE);
        assertThat(ref.rowCount()).isEqualTo(285);
        DataSpec spec = new DataSpec(null, "csv", "diagnosis", null, null, null, null, Map.of());
        CheckReport r = DataValidator.validate(t, spec, Optional.of(ref), Log.NONE);
        assertThat(r.failures()).isEmpty();
        assertThat(r.checks()).filteredOn(c -> c.name().equals("drift psi")).hasSize(30)
                .allMatch(c -> c.verdict() == Verdict.PASS);
    }
}
