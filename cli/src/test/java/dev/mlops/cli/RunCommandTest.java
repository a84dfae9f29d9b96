package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.tracking.MlflowTestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code mlops run} end to end on the bundled real data set. */
class RunCommandTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    @Test
    void firstReleasePassesTheGateAndLeavesAnMlflowLayoutOnDisk() throws Exception {
        Path spec = CliRun.copyExample(dir);

        CliRun r = CliRun.of("run", "-f", spec.toString(), "--git-sha", SHA);

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("Gate: PASSED").contains("registered breast-cancer-classifier version 1 @candidate");
        assertThat(r.err()).contains("no baseline (first release)");

        Path mlruns = dir.resolve("mlruns");
        Path experiment = onlyExperiment(mlruns);
        assertThat(Files.readString(experiment.resolve("meta.yaml"))).contains("name: \"breast-cancer\"");
        Path run;
        try (Stream<Path> runs = Files.list(experiment)) {
            run = runs.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertThat(run.getFileName().toString()).matches("[0-9a-f]{32}");
        assertThat(Files.readString(run.resolve("params/algorithm"))).isEqualTo("logistic");
        assertThat(Files.readString(run.resolve("params/C"))).isIn("0.01", "0.1", "1", "10");
        assertThat(Files.readString(run.resolve("tags/git_sha"))).isEqualTo(SHA);
        String accuracyLine = Files.readString(run.resolve("metrics/accuracy")).trim();
        assertThat(accuracyLine).matches("\\d{13} 0\\.9\\d* 0");
        assertThat(Double.parseDouble(accuracyLine.split(" ")[1])).isGreaterThanOrEqualTo(0.93);
        Path model = run.resolve("artifacts/model/model.tribuo");
        assertThat(ModelArtifact.load(model).schema().labels()).containsExactly("benign", "malignant");
        assertThat(run.resolve("artifacts/metrics.json")).exists();
        assertThat(run.resolve("artifacts/model-card.md")).content().contains(SHA);
        assertThat(run.resolve("artifacts/reports/gate.junit.xml")).exists();
        assertThat(Files.readString(run.resolve("tags/mlops.gate"))).isEqualTo("passed");

        Path registered = mlruns.resolve("models/breast-cancer-classifier");
        assertThat(Files.readString(registered.resolve("version-1/meta.yaml"))).contains("run_id: \"" + run.getFileName() + "\"");
        assertThat(Files.readString(registered.resolve("version-1/tags/model_sha256"))).isEqualTo(ModelArtifact.sha256(model));
        assertThat(Files.readString(registered.resolve("aliases/candidate")).trim()).isEqualTo("1");

        JsonNode summary = Json.MAPPER.readTree(dir.resolve("out/run.json").toFile());
        assertThat(summary.path("stage").asText()).isEqualTo("REGISTERED");
        assertThat(summary.path("modelVersion").path("version").asText()).isEqualTo("1");
        JsonNode gate = Json.MAPPER.readTree(dir.resolve("out/reports/gate.json").toFile());
        assertThat(gate.path("context").path("baseline").asText()).contains("none");
    }

    @Test
    void secondReleaseIsGatedAgainstTheProductionModel() throws Exception {
        Path spec = CliRun.copyExample(dir);
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q").exitCode()).isZero();
        CliRun promote = CliRun.of("promote", "-f", spec.toString(), "--alias", "production", "--from-alias", "candidate", "--json");
        assertThat(promote.exitCode()).as(promote.toString()).isZero();
        assertThat(Json.MAPPER.readTree(promote.out()).path("version").asText()).isEqualTo("1");

        CliRun second = CliRun.of("run", "-f", spec.toString(), "--set", "model.seed=7", "--json");

        assertThat(second.exitCode()).as(second.toString()).isZero();
        JsonNode gate = Json.MAPPER.readTree(dir.resolve("out/reports/gate.json").toFile());
        assertThat(gate.path("context").path("baseline").asText()).contains("breast-cancer-classifier v1 (@production");
        JsonNode regression = null;
        for (JsonNode c : gate.path("checks")) {
            if (c.path("name").asText().equals("maxRegressionRel")) {
                regression = c;
            }
        }
        assertThat(regression).isNotNull();
        assertThat(regression.path("verdict").asText()).isEqualTo("PASS");
        assertThat(regression.path("baseline").isNumber()).isTrue();
        assertThat(Json.MAPPER.readTree(second.out()).path("modelVersion").path("version").asText()).isEqualTo("2");
        assertThat(second.out()).as("--json prints exactly the result run.json holds")
                .isEqualTo(Files.readString(dir.resolve("out/run.json")));
    }

    @Test
    void failedGateExitsOneWithItsReasonsAndRegistersNothing() throws Exception {
        Path spec = CliRun.copyExample(dir);

        CliRun r = CliRun.of("run", "-f", spec.toString(), "--set", "gate.metrics.accuracy.min=0.9999");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("Gate: FAILED").containsPattern("min\\s+accuracy.*accuracy >= 0.9999\\s+FAIL");
        assertThat(dir.resolve("mlruns/models/breast-cancer-classifier")).doesNotExist();
        assertThat(dir.resolve("out/reports/gate.junit.xml")).content().contains("<failure");
    }

    @Test
    void dataThatFailsItsChecksStopsBeforeTraining() throws Exception {
        Path spec = CliRun.copyExample(dir);

        CliRun r = CliRun.of("run", "-f", spec.toString(), "--set", "data.schema.mean_radius.max=10");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("range").contains("mean_radius").contains("FAIL");
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
        assertThat(dir.resolve("out/reports/data.md")).exists();
    }

    @Test
    void anUndefinedFairnessMetricFailsTheGateAndTheRowSaysWhy() throws Exception {
        // Group B has no positive rows at all, so its true positive rate (and the equal-opportunity gap) is undefined:
        // a bound on it must fail, in 'run' and in 'gate' alike, never pass on a 0 computed over group A alone.
        StringBuilder csv = new StringBuilder("a,b,grp,label\n");
        java.util.Random rnd = new java.util.Random(3);
        for (int i = 0; i < 200; i++) {
            boolean groupB = i % 2 == 1;
            double a = rnd.nextDouble();
            String label = !groupB && a > 0.5 ? "yes" : "no";
            csv.append(String.format(java.util.Locale.ROOT, "%.4f,%.4f,%s,%s%n", a, rnd.nextDouble(), groupB ? "B" : "A", label));
        }
        Files.writeString(dir.resolve("data.csv"), csv);
        Path spec = Files.writeString(dir.resolve("mlops.yaml"), """
                data: {path: data.csv, target: label, sensitive: grp, positiveClass: "yes"}
                model: {folds: 2}
                gate:
                  metrics:
                    equal_opportunity_difference: {max: 0.1}
                """);

        CliRun run = CliRun.of("run", "-f", spec.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("Gate: FAILED").contains("undefined: group B has no positive ('yes') test rows");
        JsonNode metrics = Json.MAPPER.readTree(dir.resolve("out/metrics.json").toFile());
        assertThat(metrics.path("metrics").has("equal_opportunity_difference")).isFalse();
        assertThat(metrics.path("metrics").has("demographic_parity_difference")).isTrue();

        CliRun gate = CliRun.of("gate", "-f", spec.toString());

        assertThat(gate.exitCode()).as(gate.toString()).isEqualTo(1);
        assertThat(gate.out()).contains("undefined: group B has no positive ('yes') test rows");
    }

    @Test
    void remoteMlflowReceivesTheRunArtifactsVersionAndAlias() throws Exception {
        Path spec = CliRun.copyExample(dir);
        try (MlflowTestServer server = MlflowTestServer.start()) {
            CliRun r = CliRun.of("run", "-f", spec.toString(), "--tracking-uri", server.uri(), "--git-sha", SHA, "-q");

            assertThat(r.exitCode()).as(r.toString()).isZero();
            assertThat(dir.resolve("mlruns")).doesNotExist();
            List<String> calls = server.requests().stream().map(q -> q.method() + " " + q.path()).toList();
            assertThat(calls).contains(
                    "POST /api/2.0/mlflow/experiments/create",
                    "POST /api/2.0/mlflow/runs/create",
                    "POST /api/2.0/mlflow/runs/log-batch",
                    "POST /api/2.0/mlflow/registered-models/create",
                    "POST /api/2.0/mlflow/model-versions/create",
                    "POST /api/2.0/mlflow/registered-models/alias",
                    "POST /api/2.0/mlflow/runs/update");
            assertThat(calls).anyMatch(c -> c.matches("PUT /api/2.0/mlflow-artifacts/artifacts/\\d+/[0-9a-f]+/artifacts/model/model.tribuo"));
            var alias = server.requests("POST", "/api/2.0/mlflow/registered-models/alias").get(0).json();
            assertThat(alias.path("alias").asText()).isEqualTo("candidate");
            assertThat(alias.path("version").asText()).isEqualTo("1");
            var create = server.requests("POST", "/api/2.0/mlflow/runs/create").get(0).json();
            assertThat(create.path("tags").toString()).contains(SHA);
        }
    }

    @Test
    void unreachableTrackingServerFailsFastBeforeTraining() {
        Path spec = CliRun.copyExample(dir);

        CliRun r = CliRun.of("run", "-f", spec.toString(), "--tracking-uri", "http://127.0.0.1:9");

        assertThat(r.exitCode()).as("a server that is not there is infrastructure: safe to retry").isEqualTo(3);
        assertThat(r.err()).contains("cannot reach MLflow tracking server at http://127.0.0.1:9").doesNotContain("\tat ");
        assertThat(dir.resolve("out/model.tribuo")).doesNotExist();
    }

    private static Path onlyExperiment(Path mlruns) throws Exception {
        try (Stream<Path> s = Files.list(mlruns)) {
            List<Path> exps = s.filter(p -> Files.isDirectory(p) && !p.getFileName().toString().equals("0")
                    && !p.getFileName().toString().startsWith(".") && !p.getFileName().toString().equals("models")).toList();
            assertThat(exps).hasSize(1);
            return exps.get(0);
        }
    }
}
