package dev.mlops.engine.tracking;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run records the same {@code mlflow.*} system tags whichever store it lands in, the ones MLflow's own clients
 * set ({@code mlflow.user}, {@code mlflow.source.name}, {@code mlflow.source.type}, {@code mlflow.source.git.commit},
 * {@code mlflow.runName}), so the MLflow UI shows a run's source and user the same way for both.
 */
class RunTagParityTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    private MlflowTestServer server;
    private LocalStore local;
    private MlflowServer remote;

    @BeforeEach
    void open() {
        server = MlflowTestServer.start();
        local = new LocalStore(tmp.resolve("mlruns"), new TickingClock());
        remote = new MlflowServer(server.uri(), TrackingCredentials.NONE, Timeouts.DEFAULTS, new RecordingLog(), new TickingClock(),
                MlflowServer.Retry.DEFAULT);
    }

    @AfterEach
    void close() {
        server.close();
    }

    private static Map<String, String> systemTags(Tracker tracker, RunRef run) {
        Map<String, String> out = new TreeMap<>();
        tracker.getRun(run.runId()).tags().forEach((k, v) -> {
            if (k.startsWith("mlflow.")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void bothStoresRecordTheSameSystemTagsForTheTagsThePipelinePasses() {
        // what Pipeline.track passes
        Map<String, String> tags = Map.of("git_sha", SHA, "mlflow.source.git.commit", SHA, "mlflow.user", "ci-bot",
                "data_sha256", "ab");
        Map<String, String> inLocal = systemTags(local, local.startRun("churn", "churn-01234567", tags));
        Map<String, String> overHttp = systemTags(remote, remote.startRun("churn", "churn-01234567", tags));

        assertThat(overHttp).isEqualTo(inLocal).containsExactlyInAnyOrderEntriesOf(Map.of(
                "mlflow.runName", "churn-01234567",
                "mlflow.user", "ci-bot",
                "mlflow.source.name", "mlops",
                "mlflow.source.type", "LOCAL",
                "mlflow.source.git.commit", SHA));
        // the run's user_id attribute is the same user, as MLflow's clients send it
        assertThat(server.requests("POST", "/api/2.0/mlflow/runs/create").get(0).json().path("user_id").asText()).isEqualTo("ci-bot");
    }

    @Test
    void withoutAUserOrSourceBothStoresFillTheSameDefaults() {
        Map<String, String> tags = Map.of("mlflow.user", " ");
        Map<String, String> inLocal = systemTags(local, local.startRun("churn", "r", tags));
        Map<String, String> overHttp = systemTags(remote, remote.startRun("churn", "r", tags));
        assertThat(overHttp).isEqualTo(inLocal).containsEntry("mlflow.user", "mlops").containsKeys("mlflow.source.name",
                "mlflow.source.type", "mlflow.runName");
    }

    @Test
    void theHttpClientTokenIsTheOnlyTagOnlyOneStoreHas() {
        Map<String, String> inLocal = local.getRun(local.startRun("churn", "r", Map.of()).runId()).tags();
        Map<String, String> overHttp = remote.getRun(remote.startRun("churn", "r", Map.of()).runId()).tags();
        assertThat(overHttp.keySet()).containsAll(inLocal.keySet());
        assertThat(overHttp.keySet()).containsExactlyInAnyOrderElementsOf(
                new java.util.HashSet<>(java.util.stream.Stream.concat(inLocal.keySet().stream(),
                        java.util.stream.Stream.of(MlflowServer.CLIENT_TOKEN_TAG)).toList()));
    }
}
