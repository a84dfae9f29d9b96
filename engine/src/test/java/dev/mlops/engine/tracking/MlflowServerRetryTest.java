package dev.mlops.engine.tracking;

import dev.mlops.engine.Secret;
import dev.mlops.engine.tracking.MlflowTestServer.Fault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retries never duplicate a write: the server processes the request and the reply is lost (a proxy's 502, a dropped
 * connection, no reply at all), and the client must end with exactly what one successful call would have left.
 */
class MlflowServerRetryTest {
    private static final String TOKEN = "tok-retry-5ECRET";
    private static final String API = "/api/2.0/mlflow/";

    @TempDir
    Path tmp;

    private MlflowTestServer server;
    private RecordingLog log;
    private MlflowServer mlflow;

    @BeforeEach
    void start() {
        server = MlflowTestServer.start();
        log = new RecordingLog();
        mlflow = new MlflowServer(server.uri(), new TrackingCredentials(Secret.of(TOKEN), null, null),
                new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(20)), log, new TickingClock(),
                new MlflowServer.Retry(4, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aRunWhoseCreateLandedButWhoseReplyWasLostIsCreatedOnce(Fault fault) {
        server.failAfterWrite("POST runs/create", fault, 1);

        RunRef run = mlflow.startRun("churn", "train-1", Map.of("git_sha", "abc"));

        assertThat(server.runIds()).containsExactly(run.runId());
        assertThat(server.requests("POST", API + "runs/create")).hasSize(1);
        assertThat(run.artifactUri()).isEqualTo("mlflow-artifacts:/1/" + run.runId() + "/artifacts");
        // the run found by its client token is the one later calls write to
        mlflow.logParams(run.runId(), Map.of("C", "1"));
        assertThat(mlflow.getRun(run.runId()).params()).containsEntry("C", "1");
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN") && l.contains("runs/create") && l.contains("already"));
        assertThat(log.lines()).allSatisfy(l -> assertThat(l).doesNotContain(TOKEN));
    }

    @ParameterizedTest
    @EnumSource(Fault.class)
    void aModelVersionWhoseCreateLandedButWhoseReplyWasLostIsCreatedOnce(Fault fault) {
        RunRef run = mlflow.startRun("churn", "train-1", Map.of());
        server.failAfterWrite("POST model-versions/create", fault, 1);

        ModelVersion v = mlflow.createModelVersion("churn", run.runId(), "model", Map.of(ModelVersion.SHA256_TAG, "ab12"));

        assertThat(server.versionCount("churn")).isEqualTo(1);
        assertThat(v.version()).isEqualTo("1");
        assertThat(v.runId()).isEqualTo(run.runId());
        assertThat(v.tags()).containsEntry(ModelVersion.SHA256_TAG, "ab12");
        assertThat(server.requests("POST", API + "model-versions/create")).hasSize(1);
        // the next registration is version 2, not 3
        assertThat(mlflow.createModelVersion("churn", run.runId(), "model", Map.of()).version()).isEqualTo("2");
    }

    @Test
    void aCreateThatNeverLandedIsSentAgain() {
        RunRef first = mlflow.startRun("churn", "a", Map.of());
        server.clearRequests();
        server.failBeforeWrite("POST runs/create", 502, 1); // refused before it is processed: nothing landed
        RunRef second = mlflow.startRun("churn", "b", Map.of());
        assertThat(server.runIds()).containsExactly(first.runId(), second.runId());
        assertThat(server.requests("POST", API + "runs/create")).hasSize(2);
    }

    /** The other writes are safe to repeat: the same request twice leaves what one left. */
    @ParameterizedTest
    @EnumSource(Fault.class)
    void idempotentWritesAreRetriedAndLeaveOneResult(Fault fault) throws Exception {
        RunRef run = mlflow.startRun("churn", "r", Map.of());
        for (String endpoint : new String[]{"POST runs/log-batch", "POST runs/set-tag", "POST runs/update",
                "POST registered-models/create", "POST registered-models/alias", "DELETE registered-models/alias",
                "POST experiments/create", "PUT artifacts"}) {
            server.failAfterWrite(endpoint, fault, 1);
        }

        mlflow.logParams(run.runId(), Map.of("C", "1", "algorithm", "logistic"));
        mlflow.logMetrics(run.runId(), Map.of("f1", 0.75));
        mlflow.setTags(run.runId(), Map.of("stage", "gate"));
        Path model = Files.write(tmp.resolve("model.bin"), new byte[]{1, 2, 3});
        mlflow.logArtifact(run.runId(), model, "model");
        ModelVersion v = mlflow.createModelVersion("m", run.runId(), "model", Map.of());
        mlflow.setAlias("m", "candidate", v.version());
        mlflow.deleteAlias("m", "candidate");
        mlflow.endRun(run.runId(), RunStatus.FINISHED);
        RunRef other = mlflow.startRun("fraud", "r2", Map.of());

        RunInfo info = mlflow.getRun(run.runId());
        assertThat(info.params()).containsExactlyInAnyOrderEntriesOf(Map.of("C", "1", "algorithm", "logistic"));
        assertThat(info.metrics()).containsExactlyInAnyOrderEntriesOf(Map.of("f1", 0.75));
        assertThat(info.tags()).containsEntry("stage", "gate");
        assertThat(info.status()).isEqualTo(RunStatus.FINISHED);
        assertThat(server.artifact(run.experimentId(), run.runId(), "model/model.bin")).get().isEqualTo(new byte[]{1, 2, 3});
        assertThat(server.versionCount("m")).isEqualTo(1);
        assertThat(mlflow.findByAlias("m", "candidate")).isEmpty();
        assertThat(other.experimentId()).isNotEqualTo(run.experimentId());
        assertThat(server.runIds()).hasSize(2);
        // each faulted write was sent again (that is what makes it safe: the repeat changes nothing)
        assertThat(server.requests("POST", API + "runs/set-tag")).hasSize(2);
        assertThat(server.requests("POST", API + "runs/update")).hasSize(2);
    }
}
