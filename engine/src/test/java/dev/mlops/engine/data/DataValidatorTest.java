package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.report.Check;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.Verdict;
import dev.mlops.engine.spec.ColumnSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.DataChecks;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.DriftSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataValidatorTest {

    private static NumericColumn num(String name, double... v) {
        return new NumericColumn(name, v);
    }

    /** A categorical column from texts; null is missing. */
    private static CategoricalColumn cat(String name, String... v) {
        Map<String, Integer> index = new LinkedHashMap<>();
        int[] codes = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            codes[i] = v[i] == null ? -1 : index.computeIfAbsent(v[i], k -> index.size());
        }
        return new CategoricalColumn(name, codes, List.copyOf(index.keySet()));
    }

    private static double[] seq(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static String[] alternating(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = i % 2 == 0 ? "benign" : "malignant";
        }
        return out;
    }

    private static DataSpec spec(String target, Map<String, ColumnSchema> schema, DataChecks checks) {
        return new DataSpec(null, "csv", target, null, null, null, checks, schema);
    }

    private static DataSpec spec(Map<String, ColumnSchema> schema) {
        return spec("diagnosis", schema, null);
    }

    private static List<Check> named(CheckReport r, String name) {
        return r.checks().stream().filter(c -> c.name().equals(name)).toList();
    }

    private static Check one(CheckReport r, String name, String subject) {
        List<Check> found = r.checks().stream()
                .filter(c -> c.name().equals(name) && java.util.Objects.equals(c.subject(), subject)).toList();
        assertThat(found).as(name + " " + subject).hasSize(1);
        return found.get(0);
    }

    private static Table clean(int n) {
        return new Table("clean.csv", List.of(num("radius", seq(n)), cat("diagnosis", alternating(n))));
    }

    @Test
    void cleanTablePassesAndContextNamesTheData() {
        CheckReport r = DataValidator.validate(clean(20), spec(Map.of()), Optional.empty(), Log.NONE);
        assertThat(r.passed()).isTrue();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.context()).containsEntry("data", "clean.csv").containsEntry("rows", "20")
                .containsEntry("columns", "2");
        assertThat(r.context().get("reference")).startsWith("none");
        assertThat(one(r, "row count", null).verdict()).isEqualTo(Verdict.PASS);
        assertThat(one(r, "duplicate rows", null).verdict()).isEqualTo(Verdict.PASS);
        assertThat(named(r, "null share")).hasSize(2).allMatch(c -> c.verdict() == Verdict.PASS);
        assertThat(named(r, "class share")).extracting(Check::candidate).containsExactly(0.5, 0.5);
    }

    @Test
    void missingTargetIsAnInputError() {
        Table t = new Table("data.csv", List.of(num("radius", seq(20))));
        assertThatThrownBy(() -> DataValidator.validate(t, spec(Map.of()), Optional.empty(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("data.csv")
                .hasMessageContaining("target column 'diagnosis' not found").hasMessageContaining("[radius]");
    }

    @Test
    void missingSensitiveAndSchemaColumnsFail() {
        DataSpec s = new DataSpec(null, "csv", "diagnosis", "sex", null, null, null,
                Map.of("texture", new ColumnSchema(ColumnType.NUMERIC, null, null, null, null)));
        CheckReport r = DataValidator.validate(clean(20), s, Optional.empty(), Log.NONE);
        assertThat(one(r, "column present", "diagnosis").verdict()).isEqualTo(Verdict.PASS);
        assertThat(one(r, "column present", "sex").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(one(r, "column present", "texture").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(one(r, "column present", "texture").message()).contains("no column named 'texture'");
        assertThat(r.passed()).isFalse();
    }

    @Test
    void schemaTypeMismatchNamesTheFirstNonNumber() {
        Table t = new Table("d.csv", List.of(cat("size", "1", "abc", "3"), cat("diagnosis", "a", "b", "a")));
        CheckReport r = DataValidator.validate(t,
                spec(Map.of("size", new ColumnSchema(ColumnType.NUMERIC, null, null, null, null))),
                Optional.empty(), Log.NONE);
        Check c = one(r, "column type", "size");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.message()).isEqualTo("column is categorical, schema says numeric; row 2 holds 'abc'");
        assertThat(c.rule()).isEqualTo("type numeric");
    }

    @Test
    void schemaTypeMatchPasses() {
        CheckReport r = DataValidator.validate(clean(20),
                spec(Map.of("radius", new ColumnSchema(ColumnType.NUMERIC, null, null, null, null))),
                Optional.empty(), Log.NONE);
        assertThat(one(r, "column type", "radius").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void allowedValuesNameTheFirstRowsAndValues() {
        String[] v = new String[20];
        Arrays.fill(v, "a");
        v[1] = "b";
        for (int row : new int[] {4, 8, 11, 14, 16, 18}) {
            v[row] = "X";
        }
        v[16] = "Y";
        Table t = new Table("d.csv", List.of(cat("grade", v), cat("diagnosis", alternating(20))));
        CheckReport r = DataValidator.validate(t,
                spec(Map.of("grade", new ColumnSchema(null, null, null, List.of("a", "b"), null))),
                Optional.empty(), Log.NONE);
        Check c = one(r, "allowed values", "grade");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.candidate()).isEqualTo(6.0);
        assertThat(c.message()).isEqualTo("rows 5, 9, 12 (+3 more): 'X', 'Y' not in [a, b]");

        Table ok = new Table("d.csv", List.of(cat("grade", "a", "b", null, "a"), cat("diagnosis", "x", "y", "x", "y")));
        CheckReport r2 = DataValidator.validate(ok,
                spec(Map.of("grade", new ColumnSchema(null, null, null, List.of("a", "b"), 1.0))),
                Optional.empty(), Log.NONE);
        assertThat(one(r2, "allowed values", "grade").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void rangeNamesRowsAndValues() {
        double[] v = seq(20);
        v[2] = -1;
        v[6] = 250;
        v[9] = 10.5;
        v[12] = 19.5;
        Table t = new Table("d.csv", List.of(num("age", v), cat("diagnosis", alternating(20))));
        CheckReport r = DataValidator.validate(t,
                spec(Map.of("age", new ColumnSchema(ColumnType.NUMERIC, 0.0, 19.0, null, null))),
                Optional.empty(), Log.NONE);
        Check c = one(r, "range", "age");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.candidate()).isEqualTo(3.0); // -1, 250, 19.5 are outside; 10.5 is inside [0, 19]
        assertThat(c.message()).isEqualTo("rows 3, 7, 13: -1, 250, 19.5 outside [0, 19]");

        CheckReport onlyMin = DataValidator.validate(t,
                spec(Map.of("age", new ColumnSchema(null, 0.0, null, null, null))), Optional.empty(), Log.NONE);
        assertThat(one(onlyMin, "range", "age").message()).isEqualTo("row 3: -1 outside [0, inf]");
        CheckReport wide = DataValidator.validate(t,
                spec(Map.of("age", new ColumnSchema(null, -5.0, 300.0, null, null))), Optional.empty(), Log.NONE);
        assertThat(one(wide, "range", "age").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void nullShareAgainstDefaultAndPerColumnLimit() {
        double[] v = seq(20);
        v[3] = Double.NaN;
        v[7] = Double.NaN;
        Table t = new Table("d.csv", List.of(num("x", v), cat("diagnosis", alternating(20))));
        CheckReport strict = DataValidator.validate(t, spec(Map.of()), Optional.empty(), Log.NONE);
        Check c = one(strict, "null share", "x");
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.candidate()).isEqualTo(0.1);
        assertThat(c.baseline()).isEqualTo(0.0);
        assertThat(c.message()).isEqualTo("2 of 20 rows empty (10.0%)");
        // Exactly at the limit passes (the limit is a maximum).
        CheckReport perColumn = DataValidator.validate(t,
                spec(Map.of("x", new ColumnSchema(null, null, null, null, 0.1))), Optional.empty(), Log.NONE);
        assertThat(one(perColumn, "null share", "x").verdict()).isEqualTo(Verdict.PASS);
        CheckReport dataWide = DataValidator.validate(t,
                spec("diagnosis", Map.of(), new DataChecks(null, 0.05, null, null, null)), Optional.empty(), Log.NONE);
        assertThat(one(dataWide, "null share", "x").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void minimumRowCount() {
        CheckReport r = DataValidator.validate(clean(6), spec(Map.of()), Optional.empty(), Log.NONE);
        Check c = one(r, "row count", null);
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.candidate()).isEqualTo(6.0);
        assertThat(c.baseline()).isEqualTo(10.0);
        CheckReport lower = DataValidator.validate(clean(6),
                spec("diagnosis", Map.of(), new DataChecks(5, null, null, null, null)), Optional.empty(), Log.NONE);
        assertThat(one(lower, "row count", null).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void duplicateRowsIncludingMissingCells() {
        double[] x = seq(20);
        String[] d = alternating(20);
        // Row 11 repeats row 3, row 16 repeats row 5 (both with a missing x, which counts as equal).
        x[10] = x[2];
        d[10] = d[2];
        x[4] = Double.NaN;
        x[15] = Double.NaN;
        d[15] = d[4];
        Table t = new Table("d.csv", List.of(num("x", x), cat("diagnosis", d)));
        CheckReport r = DataValidator.validate(t,
                spec("diagnosis", Map.of(), new DataChecks(null, 1.0, null, null, null)), Optional.empty(), Log.NONE);
        Check c = one(r, "duplicate rows", null);
        assertThat(c.candidate()).isEqualTo(0.1);
        assertThat(c.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.message()).isEqualTo("2 of 20 rows (10.0%) repeat an earlier row; first: row 11 = row 3");
        // Same x but another label is not a duplicate.
        d[10] = d[2].equals("benign") ? "malignant" : "benign";
        Table t2 = new Table("d.csv", List.of(num("x", x), cat("diagnosis", d)));
        CheckReport r2 = DataValidator.validate(t2,
                spec("diagnosis", Map.of(), new DataChecks(null, 1.0, 0.05, null, null)), Optional.empty(), Log.NONE);
        assertThat(one(r2, "duplicate rows", null).candidate()).isEqualTo(0.05);
        assertThat(one(r2, "duplicate rows", null).verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void manyDistinctRowsHaveNoDuplicates() {
        CheckReport r = DataValidator.validate(clean(200_000), spec(Map.of()), Optional.empty(), Log.NONE);
        assertThat(one(r, "duplicate rows", null).candidate()).isEqualTo(0.0);
    }

    @Test
    void oneClassOnlyIsAnInputError() {
        String[] d = new String[20];
        Arrays.fill(d, "benign");
        d[3] = null;
        Table t = new Table("d.csv", List.of(num("x", seq(20)), cat("diagnosis", d)));
        assertThatThrownBy(() -> DataValidator.validate(t, spec(Map.of()), Optional.empty(), Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("d.csv")
                .hasMessageContaining("target 'diagnosis' has one class only: 'benign'");
    }

    @Test
    void rareClassFailsMinClassShare() {
        String[] d = new String[20];
        Arrays.fill(d, "benign");
        d[7] = "malignant";
        Table t = new Table("d.csv", List.of(num("x", seq(20)), cat("diagnosis", d)));
        CheckReport r = DataValidator.validate(t,
                spec("diagnosis", Map.of(), new DataChecks(null, null, null, 0.1, null)), Optional.empty(), Log.NONE);
        Check rare = one(r, "class share", "diagnosis=malignant");
        assertThat(rare.candidate()).isEqualTo(0.05);
        assertThat(rare.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(rare.message()).isEqualTo("1 of 20 labelled rows (5.0%)");
        assertThat(one(r, "class share", "diagnosis=benign").verdict()).isEqualTo(Verdict.PASS);
    }

    @Test
    void driftAgainstIdenticalReferencePasses() {
        Table t = clean(40);
        Table ref = new Table("ref.csv", t.columns());
        CheckReport r = DataValidator.validate(t, spec(Map.of()), Optional.of(ref), Log.NONE);
        assertThat(r.context()).containsEntry("reference", "ref.csv");
        assertThat(one(r, "drift psi", "radius").candidate()).isEqualTo(0.0);
        assertThat(one(r, "drift ks", "radius").candidate()).isEqualTo(1.0);
        assertThat(r.passed()).isTrue();
        // The target is not a feature: no drift rows for it.
        assertThat(r.checks()).noneMatch(c -> c.name().startsWith("drift") && "diagnosis".equals(c.subject()));
    }

    @Test
    void driftVerdictsFollowThresholds() {
        // Same data as DriftTest.psiHandComputed: PSI = 0.2746531 (2 bins).
        Table ref = new Table("ref.csv", List.of(num("x", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
                cat("diagnosis", alternating(10))));
        Table cur = new Table("cur.csv", List.of(num("x", 1, 1, 1, 9), cat("diagnosis", alternating(4))));
        DataChecks warnOnly = new DataChecks(1, null, 1.0, null, new DriftSpec(0.2, 0.3, 0.0, 2));
        CheckReport r = DataValidator.validate(cur, spec("diagnosis", Map.of(), warnOnly), Optional.of(ref),
                Log.NONE);
        Check psi = one(r, "drift psi", "x");
        assertThat(psi.candidate()).isCloseTo(0.2746531, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(psi.verdict()).isEqualTo(Verdict.WARN);
        assertThat(r.passed()).isTrue();
        DataChecks failing = new DataChecks(1, null, 1.0, null, new DriftSpec(0.1, 0.25, 0.0, 2));
        assertThat(one(DataValidator.validate(cur, spec("diagnosis", Map.of(), failing), Optional.of(ref), Log.NONE),
                "drift psi", "x").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void ksFailsOnAClearShift() {
        Table ref = new Table("ref.csv", List.of(num("x", seq(50)), cat("diagnosis", alternating(50))));
        double[] shifted = seq(50);
        for (int i = 0; i < shifted.length; i++) {
            shifted[i] += 100;
        }
        Table cur = new Table("cur.csv", List.of(num("x", shifted), cat("diagnosis", alternating(50))));
        CheckReport r = DataValidator.validate(cur, spec(Map.of()), Optional.of(ref), Log.NONE);
        Check ks = one(r, "drift ks", "x");
        assertThat(ks.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(ks.message()).startsWith("D = 1, p = ");
        assertThat(one(r, "drift psi", "x").verdict()).isEqualTo(Verdict.FAIL);
    }

    @Test
    void categoricalDriftAndColumnMissingFromReference() {
        Table ref = new Table("ref.csv", List.of(cat("color", "a", "a", "b", "b"), cat("diagnosis", "x", "y", "x", "y")));
        Table cur = new Table("cur.csv", List.of(cat("color", "a", "b", "c", "c"), num("extra", 1, 2, 3, 4),
                cat("diagnosis", "x", "y", "x", "y")));
        CheckReport r = DataValidator.validate(cur, spec(Map.of()), Optional.of(ref), Log.NONE);
        Check color = one(r, "drift psi", "color");
        // Hand-computed in DriftTest.psiCategoricalHandComputed: 4.6043185.
        assertThat(color.candidate()).isCloseTo(4.6043185, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(color.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(named(r, "drift ks")).isEmpty();
        Check extra = one(r, "drift psi", "extra");
        assertThat(extra.verdict()).isEqualTo(Verdict.WARN);
        assertThat(extra.message()).contains("ref.csv").contains("no column 'extra'");
    }
}
