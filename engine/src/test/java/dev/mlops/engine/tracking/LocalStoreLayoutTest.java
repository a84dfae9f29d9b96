package dev.mlops.engine.tracking;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlops.engine.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The files MLflow's FileStore (mlflow/store/tracking/file_store.py, mlflow/store/model_registry/file_store.py)
 * reads, checked field by field against what those stores write.
 */
class LocalStoreLayoutTest {
    @TempDir
    Path tmp;

    private static Map<String, Object> yaml(Path file) throws Exception {
        return new YAMLMapper().readValue(file.toFile(), new TypeReference<>() {
        });
    }

    @Test
    void theFirstRunCreatesTheStoreWithTheDefaultExperimentAsMlflowDoes() throws Exception {
        Path root = tmp.resolve("mlruns");
        new LocalStore(root, new TickingClock()).startRun("churn", "r", Map.of());
        Map<String, Object> meta = yaml(root.resolve("0/meta.yaml"));
        assertThat(meta).containsEntry("experiment_id", "0").containsEntry("name", "Default")
                .containsEntry("lifecycle_stage", "active")
                .containsEntry("artifact_location", root.toUri().toString().replaceAll("/$", "") + "/0")
                .containsKeys("creation_time", "last_update_time");
        assertThat(root.resolve(".trash")).isDirectory();
        // experiment_id must stay a string for PyYAML: quoted in the file
        assertThat(Files.readString(root.resolve("0/meta.yaml"))).contains("experiment_id: \"0\"");
    }

    /**
     * A pod mounts the store read-only and a serving process only reads: opening an existing store and downloading a
     * registered model must not write anything (no lock file, no Default experiment rewritten).
     */
    @Test
    void readingAnExistingStoreWritesNothingSoItWorksOnAReadOnlyMount() throws Exception {
        Path root = tmp.resolve("mlruns");
        LocalStore writer = new LocalStore(root, new TickingClock());
        RunRef run = writer.startRun("churn", "train-1", Map.of());
        writer.logArtifact(run.runId(), Files.write(tmp.resolve("model.tribuo"), new byte[]{1, 2, 3}), "model");
        writer.createModelVersion("churn-model", run.runId(), "model/model.tribuo", Map.of());
        Files.deleteIfExists(root.resolve(".mlops-experiments.lock"));
        Map<Path, Long> before = tree(root);

        LocalStore reader = new LocalStore(root, new TickingClock());
        ModelVersion v = reader.getModelVersion("churn-model", "1");
        Path got = reader.downloadArtifact(v.runId(), "model/model.tribuo", Files.createDirectories(tmp.resolve("dl")));

        assertThat(Files.readAllBytes(got)).containsExactly(1, 2, 3);
        assertThat(tree(root)).as("files and modification times under the store").isEqualTo(before);
    }

    private static Map<Path, Long> tree(Path root) throws Exception {
        Map<Path, Long> m = new java.util.TreeMap<>();
        try (var all = Files.walk(root)) {
            for (Path p : all.toList()) {
                m.put(root.relativize(p), Files.getLastModifiedTime(p).toMillis());
            }
        }
        return m;
    }

    @Test
    void openingAndReadingAStoreCreatesNothing() {
        // A pipeline opens its tracker before training; bad data found then must leave no mlruns/ behind.
        Path root = tmp.resolve("mlruns");
        LocalStore store = new LocalStore(root, new TickingClock());
        assertThat(store.registeredModelExists("m")).isFalse();
        assertThatThrownBy(() -> store.findByAlias("m", "production")).isInstanceOf(InputException.class);
        assertThatThrownBy(() -> store.getRun("0123abcd")).isInstanceOf(InputException.class);
        store.close();
        assertThat(root).doesNotExist();
    }

    @Test
    void runWithParamsMetricsTagsArtifactsRegistrationAndAliasOnDisk() throws Exception {
        Path root = tmp.resolve("mlruns");
        LocalStore store = new LocalStore(root, new TickingClock());
        RunRef run = store.startRun("churn", "train-1", Map.of("git_sha", "abc123"));
        store.logParams(run.runId(), Map.of("C", "0.5"));
        store.logMetrics(run.runId(), Map.of("f1", 0.75));
        store.logMetrics(run.runId(), Map.of("f1", 0.8));
        Path model = Files.write(tmp.resolve("model.pb"), new byte[]{9, 8, 7});
        store.logArtifact(run.runId(), model, "model");
        store.endRun(run.runId(), RunStatus.FINISHED);
        ModelVersion v = store.createModelVersion("churn-model", run.runId(), "model", Map.of("model_sha256", "ff00"));
        store.setAlias("churn-model", "production", v.version());

        // experiment
        Path expDir = root.resolve(run.experimentId());
        Map<String, Object> exp = yaml(expDir.resolve("meta.yaml"));
        assertThat(exp).containsEntry("name", "churn").containsEntry("experiment_id", run.experimentId())
                .containsEntry("lifecycle_stage", "active");
        assertThat(run.experimentId()).matches("[1-9][0-9]*");

        // run meta.yaml: RunInfo fields plus what _make_persisted_run_info_dict adds
        Path runDir = expDir.resolve(run.runId());
        assertThat(run.runId()).matches("[0-9a-f]{32}");
        Map<String, Object> meta = yaml(runDir.resolve("meta.yaml"));
        assertThat(meta).containsEntry("run_id", run.runId()).containsEntry("run_uuid", run.runId())
                .containsEntry("experiment_id", run.experimentId()).containsEntry("run_name", "train-1")
                .containsEntry("lifecycle_stage", "active")
                .containsEntry("status", 3) // FINISHED in MLflow's RunStatus enum
                .containsEntry("source_type", 4) // SourceType.LOCAL
                .containsEntry("tags", List.of())
                .containsEntry("artifact_uri", runDir.resolve("artifacts").toUri().toString().replaceAll("/$", ""))
                .containsKeys("start_time", "end_time", "user_id", "source_name", "entry_point_name", "source_version");
        assertThat(((Number) meta.get("end_time")).longValue()).isGreaterThan(((Number) meta.get("start_time")).longValue());
        assertThat(run.artifactUri()).isEqualTo(meta.get("artifact_uri"));

        // params, metrics, tags: raw values; metric lines "<timestamp_ms> <value> <step>"
        assertThat(Files.readString(runDir.resolve("params/C"))).isEqualTo("0.5");
        List<String> lines = Files.readAllLines(runDir.resolve("metrics/f1"));
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).matches("17000000000\\d\\d 0\\.75 0");
        assertThat(lines.get(1)).matches("17000000000\\d\\d 0\\.8 0");
        assertThat(Files.readString(runDir.resolve("tags/mlflow.runName"))).isEqualTo("train-1");
        assertThat(Files.readString(runDir.resolve("tags/git_sha"))).isEqualTo("abc123");
        assertThat(runDir.resolve("tags/mlflow.user")).isRegularFile();
        assertThat(runDir.resolve("tags/mlflow.source.type")).hasContent("LOCAL");
        assertThat(Files.readAllBytes(runDir.resolve("artifacts/model/model.pb"))).containsExactly(9, 8, 7);

        // registry
        Path modelDir = root.resolve("models/churn-model");
        Map<String, Object> rm = yaml(modelDir.resolve("meta.yaml"));
        assertThat(rm).containsEntry("name", "churn-model").containsKeys("creation_timestamp", "last_updated_timestamp", "description");
        Map<String, Object> mv = yaml(modelDir.resolve("version-1/meta.yaml"));
        assertThat(mv).containsEntry("name", "churn-model").containsEntry("version", 1)
                .containsEntry("current_stage", "None").containsEntry("status", "READY")
                .containsEntry("run_id", run.runId())
                .containsEntry("source", run.artifactUri() + "/model")
                .containsEntry("storage_location", run.artifactUri() + "/model")
                .containsKeys("creation_timestamp", "last_updated_timestamp", "description", "run_link", "user_id", "status_message");
        assertThat(Files.readString(root.resolve("models/churn-model/version-1/meta.yaml"))).contains("current_stage: \"None\"");
        assertThat(modelDir.resolve("version-1/tags/model_sha256")).hasContent("ff00");
        assertThat(modelDir.resolve("aliases/production")).hasContent("1");
        assertThat(v.source()).isEqualTo(run.artifactUri() + "/model");

        // nothing half-written is left behind
        try (var files = Files.walk(root)) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void readsBackRunsWrittenInMlflowsFormatByHand() throws Exception {
        // A run laid out by hand exactly as MLflow writes it, including a metric line without step and steps out of order.
        Path root = tmp.resolve("mlruns");
        LocalStore store = new LocalStore(root, new TickingClock());
        RunRef run = store.startRun("e", "r", Map.of());
        Path runDir = root.resolve(run.experimentId()).resolve(run.runId());
        Files.writeString(runDir.resolve("metrics/loss"), "100 0.9\n300 0.2 1\n200 0.5 2\n");
        Files.createDirectories(runDir.resolve("params/nested"));
        Files.writeString(runDir.resolve("params/nested/key"), "v");
        RunInfo info = store.getRun(run.runId());
        assertThat(info.metrics()).containsEntry("loss", 0.5); // largest step wins, as in _get_metric_from_file
        assertThat(info.params()).containsEntry("nested/key", "v");
    }

    @Test
    void malformedMetricFileIsInputErrorNamingTheFile() throws Exception {
        Path root = tmp.resolve("mlruns");
        LocalStore store = new LocalStore(root, new TickingClock());
        RunRef run = store.startRun("e", "r", Map.of());
        Files.writeString(root.resolve(run.experimentId()).resolve(run.runId()).resolve("metrics/acc"), "oops\n");
        assertThatThrownBy(() -> store.getRun(run.runId())).isInstanceOf(InputException.class)
                .hasMessageContaining("metrics").hasMessageContaining("acc").hasMessageContaining("oops");
    }

    @Test
    void awkwardNamesSurviveTheYamlRoundTrip() throws Exception {
        Path root = tmp.resolve("mlruns");
        LocalStore store = new LocalStore(root, new TickingClock());
        String name = "it's \"q\": line1\nline2 # not a comment";
        RunRef run = store.startRun(name, "r", Map.of());
        assertThat(yaml(root.resolve(run.experimentId()).resolve("meta.yaml"))).containsEntry("name", name);
        assertThat(store.startRun(name, "r2", Map.of()).experimentId()).isEqualTo(run.experimentId());
    }

    @Test
    void reopeningKeepsExperimentsAndRegistry() {
        Path root = tmp.resolve("mlruns");
        LocalStore first = new LocalStore(root, new TickingClock());
        RunRef run = first.startRun("churn", "r", Map.of());
        first.createModelVersion("m", run.runId(), "model", Map.of());
        LocalStore second = new LocalStore(root, new TickingClock());
        assertThat(second.startRun("churn", "r2", Map.of()).experimentId()).isEqualTo(run.experimentId());
        assertThat(second.createModelVersion("m", run.runId(), "model", Map.of()).version()).isEqualTo("2");
    }

    @Test
    void concurrentRegistrationsNeverShareAVersionNumber() throws Exception {
        Path root = tmp.resolve("mlruns");
        RunRef run = new LocalStore(root, new TickingClock()).startRun("e", "r", Map.of());
        int writers = 4;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            // separate store instances, as separate processes would have
            LocalStore store = new LocalStore(root, new TickingClock());
            futures.add(pool.submit(() -> {
                go.await();
                List<String> got = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    got.add(store.createModelVersion("m", run.runId(), "model", Map.of()).version());
                }
                return got;
            }));
        }
        go.countDown();
        List<String> all = Collections.synchronizedList(new ArrayList<>());
        for (Future<List<String>> f : futures) {
            all.addAll(f.get());
        }
        pool.shutdown();
        assertThat(all).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, writers * each).mapToObj(String::valueOf).toList());
    }

    @Test
    void concurrentStartRunsCreateOneExperiment() throws Exception {
        Path root = tmp.resolve("mlruns");
        new LocalStore(root, new TickingClock());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            LocalStore store = new LocalStore(root, new TickingClock());
            ids.add(pool.submit(() -> store.startRun("shared", "r", Map.of()).experimentId()));
        }
        List<String> got = new ArrayList<>();
        for (Future<String> f : ids) {
            got.add(f.get());
        }
        pool.shutdown();
        assertThat(got).containsOnly(got.get(0));
    }

    @Test
    void badNamesCannotEscapeTheStore() throws Exception {
        LocalStore store = new LocalStore(tmp.resolve("mlruns"), new TickingClock());
        RunRef run = store.startRun("e", "r", Map.of());
        assertThatThrownBy(() -> store.logParams(run.runId(), Map.of("../../evil", "x")))
                .isInstanceOf(InputException.class).hasMessageContaining("../../evil");
        assertThatThrownBy(() -> store.createModelVersion("a/b", run.runId(), "model", Map.of()))
                .isInstanceOf(InputException.class).hasMessageContaining("a/b");
        assertThatThrownBy(() -> store.getRun("../0"))
                .isInstanceOf(InputException.class).hasMessageContaining("../0");
        Path f = Files.writeString(tmp.resolve("f.txt"), "x");
        assertThatThrownBy(() -> store.logArtifact(run.runId(), f, "../../outside"))
                .isInstanceOf(InputException.class);
        assertThat(tmp.resolve("outside")).doesNotExist();
    }

    @Test
    void rootThatIsAFileIsInputError() throws Exception {
        Path file = Files.writeString(tmp.resolve("mlruns"), "not a folder");
        assertThatThrownBy(() -> new LocalStore(file, new TickingClock()))
                .isInstanceOf(InputException.class).hasMessageContaining(file.toString());
    }

    @Test
    void missingArtifactFileToLogIsInputError() {
        LocalStore store = new LocalStore(tmp.resolve("mlruns"), new TickingClock());
        RunRef run = store.startRun("e", "r", Map.of());
        assertThatThrownBy(() -> store.logArtifact(run.runId(), tmp.resolve("nope.bin"), "model"))
                .isInstanceOf(InputException.class).hasMessageContaining("nope.bin");
    }
}
