package dev.mlops.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every bad input from the issue through the real command line: exit code 2, one clear message that names the
 * file, line, column or key, no stack trace, and nothing written (no out/, no tracking store).
 */
class BadInputTest {
    @TempDir
    Path dir;

    private static final String SPEC = """
            data:
              path: data.csv
              target: label
              checks: {minRows: 1, minClassShare: 0.0, maxDuplicateShare: 1.0}
            model: {folds: 2, testSplit: 0.25}
            """;

    private CliRun runWith(String csv) throws Exception {
        return runWith(SPEC, csv);
    }

    private CliRun runWith(String spec, String csv) throws Exception {
        return command("run", spec, csv);
    }

    private CliRun command(String command, String spec, String csv) throws Exception {
        Files.writeString(dir.resolve("mlops.yaml"), spec);
        if (csv != null) {
            Files.writeString(dir.resolve("data.csv"), csv);
        }
        return CliRun.of(command, "-f", dir.resolve("mlops.yaml").toString());
    }

    /** n rows of three classes, class_0..class_2, learnable from column a. */
    private static String threeClasses(int n) {
        StringBuilder b = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            b.append(i % 3).append(',').append(i % 7).append(",class_").append(i % 3).append('\n');
        }
        return b.toString();
    }

    private void assertInputError(CliRun r, String... fragments) throws Exception {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).as(r.toString()).contains("error: ").contains(fragments);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception:");
        assertThat(dir.resolve("out")).doesNotExist();
        assertThat(dir.resolve("mlruns")).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    private static String rows(int n) {
        StringBuilder b = new StringBuilder("a,b,label\n");
        for (int i = 0; i < n; i++) {
            b.append(i).append(',').append(i % 7).append(',').append(i % 2 == 0 ? "x" : "y").append('\n');
        }
        return b.toString();
    }

    @Test
    void missingCsv() throws Exception {
        assertInputError(runWith(null), "data.csv");
    }

    @Test
    void emptyCsv() throws Exception {
        assertInputError(runWith(""), "data.csv", "empty");
    }

    @Test
    void headerOnly() throws Exception {
        assertInputError(runWith("a,b,label\n"), "data.csv", "header");
    }

    @Test
    void raggedRow() throws Exception {
        assertInputError(runWith(rows(10) + "1,2\n"), "data.csv", "line 12 has 2 fields, header has 3");
    }

    @Test
    void nonNumericValueInNumericColumnNamesRowAndColumn() throws Exception {
        String spec = SPEC + "  schema:\n    a: {type: numeric}\n".replace("  schema", "  schema");
        spec = SPEC.replace("  checks:", "  schema:\n    a: {type: numeric}\n  checks:");
        assertInputError(runWith(spec, rows(10) + "abc,1,x\n"), "data.csv", "line 12", "column 'a'", "'abc' is not a number");
    }

    @Test
    void aStrayTextCellTurnsNoNumericColumnIntoCategories() throws Exception {
        String csv = rows(30).replace("\n17,3,y\n", "\n17x,3,y\n");
        assertInputError(runWith(csv), "data.csv", "line 19, column 'a'", "'17x' is not a number", "29 of the column's 30");
    }

    @Test
    void targetColumnMissing() throws Exception {
        assertInputError(runWith(rows(10).replace("label", "outcome")), "data.csv", "'label'");
    }

    @Test
    void oneClassOnly() throws Exception {
        assertInputError(runWith(rows(10).replace(",y\n", ",x\n")), "one class only", "'x'");
    }

    @Test
    void nanAndInfinity() throws Exception {
        assertInputError(runWith(rows(10) + "NaN,1,x\n"), "data.csv", "line 12", "'NaN' is not a finite number");
        assertInputError(runWith(rows(10) + "1,Infinity,x\n"), "data.csv", "line 12", "not a finite number");
    }

    @Test
    void specUnknownKey() throws Exception {
        assertInputError(runWith(SPEC + "trainer: cart\n", rows(10)), "mlops.yaml:6", "'trainer' is not a known key");
    }

    @Test
    void specWrongType() throws Exception {
        assertInputError(runWith(SPEC.replace("folds: 2", "folds: two"), rows(10)), "mlops.yaml:5", "'model.folds' expects a whole number, got 'two'");
    }

    @Test
    void specMissingRequiredKey() throws Exception {
        assertInputError(runWith(SPEC.replace("  target: label\n", ""), rows(10)), "'data.target' is required");
    }

    @Test
    void policyNamingAnUnknownMetric() throws Exception {
        assertInputError(runWith(SPEC + "gate:\n  metrics:\n    acuracy: {min: 0.9}\n", rows(10)),
                "mlops.yaml:8", "unknown metric 'acuracy'", "did you mean 'accuracy'");
    }

    @Test
    void anUnquotedSetOnADottedMetricNameBlamesTheSetAndShowsTheQuotedForm() throws Exception {
        Files.writeString(dir.resolve("data.csv"), rows(10));
        Files.writeString(dir.resolve("mlops.yaml"), SPEC + "gate:\n  metrics:\n    accuracy: {min: 0.1}\n");
        CliRun r = CliRun.of("run", "-f", dir.resolve("mlops.yaml").toString(), "--set", "gate.metrics.f1.x.min=0.95");
        assertInputError(r, "--set gate.metrics.f1.x.min=0.95", "gate.metrics.\"f1.x\".min=0.95");
        assertThat(r.err()).doesNotContainPattern("mlops\\.yaml:\\d");

        CliRun quoted = CliRun.of("validate-data", "-f", dir.resolve("mlops.yaml").toString(),
                "--set", "gate.metrics.\"f1.x\".min=0.95");
        assertThat(quoted.exitCode()).as(quoted.toString()).isZero();
    }

    @Test
    void specWithADuplicateKeyOrADanglingAlias() throws Exception {
        assertInputError(runWith(SPEC.replace("  target: label\n", "  target: label\n  target: other\n"), rows(10)),
                "mlops.yaml:4", "'data.target' appears twice (lines 3 and 4)");
        assertInputError(runWith(SPEC + "tracking: {registeredModel: *model}\n", rows(10)),
                "mlops.yaml:6", "alias '*model'");
    }

    @Test
    void policyOnAClassTheDataDoesNotHaveIsRefusedBeforeTraining() throws Exception {
        String spec = SPEC + "gate:\n  metrics:\n    f1.class_9: {min: 0.95}\n";
        for (String command : new String[]{"run", "train"}) {
            CliRun r = command(command, spec, threeClasses(30));
            assertInputError(r, "'gate.metrics.\"f1.class_9\"'", "no class 'class_9'", "f1.class_0, f1.class_1, f1.class_2");
            assertThat(r.err()).as(command).doesNotContain("trained").doesNotContain("evaluated");
        }
    }

    /** A class such as '../x' is respelt in metric names ('.._x'), so its metrics stay files inside the run. */
    @Test
    void aLabelThatIsAPathNamesMetricsInsideTheRun() throws Exception {
        CliRun r = command("train", SPEC, rows(10).replace(",y\n", ",../x\n"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        try (Stream<Path> files = Files.walk(dir)) {
            List<Path> metrics = files.filter(p -> p.getFileName().toString().startsWith("f1.")).toList();
            assertThat(metrics).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("f1.x", "f1..._x");
            assertThat(metrics).allMatch(p -> p.getParent().getFileName().toString().equals("metrics"));
        }
    }

    @Test
    void dataRefusedDuringTrainingLeavesNoTrackingStore() throws Exception {
        // Passes the data checks (minClassShare 0), but class y has one row for two folds: refused by training.
        String csv = rows(10).replace(",y\n", ",x\n") + "3,3,y\n";
        for (String command : new String[]{"run", "train"}) {
            assertInputError(command(command, SPEC, csv), "fewer training rows than model.folds");
        }
    }

    @Test
    void specThatIsAFifo() throws Exception {
        Path fifo = dev.mlops.engine.testing.Fifos.make(dir.resolve("pipe.yaml"));
        CliRun r = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> CliRun.of("run", "-f", fifo.toString()));
        assertInputError(r, "pipe.yaml", "not a regular file");
    }

    @Test
    void registryNameThatDoesNotExist() throws Exception {
        Files.writeString(dir.resolve("mlops.yaml"), SPEC);
        CliRun r = CliRun.of("promote", "-f", dir.resolve("mlops.yaml").toString(), "--model", "no-such-model",
                "--alias", "production", "--version", "1", "--tracking-uri", dir.resolve("store").toString());
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("registered model 'no-such-model' does not exist").doesNotContain("\tat ");
    }

    @Test
    void anAppOptionThatIsAPathIsRefusedBeforeAnyFolderIsMade() throws Exception {
        Files.writeString(dir.resolve("mlops.yaml"), SPEC);
        String spec = dir.resolve("mlops.yaml").toString();
        for (String[] args : new String[][]{{"status"}, {"stop"}, {"rollback"}, {"deploy", "--model-version", "1"}}) {
            String[] full = Stream.concat(Stream.of(args), Stream.of("-f", spec, "--app", "../x")).toArray(String[]::new);
            CliRun r = CliRun.of(full);
            assertInputError(r, "app '../x' (--app) must be lower-case letters");
            assertThat(dir.resolve(".mlops")).as(args[0]).doesNotExist();
            assertThat(dir.resolve("x")).as(args[0]).doesNotExist();
        }
    }

    @Test
    void unknownOptionIsAUsageError() {
        CliRun r = CliRun.of("run", "--no-such-option");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        for (String cmd : new String[]{"run", "validate-data", "train", "gate", "register", "promote", "generate-data",
                "deploy", "rollback", "status", "stop"}) {
            CliRun r = CliRun.of(cmd, "--help");
            assertThat(r.exitCode()).as(cmd).isZero();
            assertThat(r.out()).as(cmd).contains("Usage: mlops " + cmd).contains("Example");
        }
    }
}
