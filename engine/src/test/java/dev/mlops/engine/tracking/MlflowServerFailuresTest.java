package dev.mlops.engine.tracking;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.MlopsException;
import dev.mlops.engine.Secret;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How a tracking server that stands in the way fails: within the configured bounds, with the exit code that tells a
 * pipeline whether to retry (3: the server is down, slow or failing) or to fix its configuration (2: the URI is not
 * an MLflow server, or the credentials are refused), and never with a credential in the message or the log.
 */
class MlflowServerFailuresTest {
    private static final String TOKEN = "tok-deadline-9SECRET";
    private static final String PASSWORD = "pw-in-uri-7SECRET";

    @TempDir
    Path tmp;

    private final RecordingLog log = new RecordingLog();

    private MlflowServer client(String uri, Timeouts timeouts) {
        return new MlflowServer(uri, new TrackingCredentials(Secret.of(TOKEN), null, null), timeouts, log, new TickingClock(),
                new MlflowServer.Retry(4, Duration.ofMillis(50)));
    }

    private MlflowServer client(String uri) {
        return client(uri, new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(20)));
    }

    private void assertNoSecrets(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            assertThat(String.valueOf(c.getMessage())).doesNotContain(TOKEN).doesNotContain(PASSWORD);
        }
        assertThat(log.lines()).allSatisfy(l -> assertThat(l).doesNotContain(TOKEN).doesNotContain(PASSWORD));
    }

    // ---------------------------------------------------------------- deadlines

    @Test
    void aServerThatAcceptsAndNeverAnswersFailsWithinTheRequestTimeoutAndDeadline() {
        try (SilentServer silent = SilentServer.start()) {
            String withUserInfo = silent.uri().replace("http://", "http://bob:" + PASSWORD + "@");
            MlflowServer mlflow = client(withUserInfo, new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(3)));

            long t0 = System.nanoTime();
            InfraException e = catchThrowableOfType(() -> mlflow.registeredModelExists("churn"), InfraException.class);
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(e).as("a silent server is infrastructure trouble, exit 3").isNotNull();
            assertThat(e.exitCode()).isEqualTo(ExitCodes.INFRA);
            assertThat(seconds).as("configured 1 s per request, 3 s in all").isGreaterThanOrEqualTo(0.9).isLessThan(10);
            assertThat(e.getMessage()).startsWith("MLflow tracking server at " + silent.uri() + " did not answer GET ")
                    .contains("within 1 s (tracking.requestTimeoutSeconds)")
                    .contains("(tracking.deadlineSeconds: 3 s)");
            assertThat(silent.accepted()).as("retried within the deadline").isBetween(2, 4);
            assertNoSecrets(e);
        }
    }

    @Test
    void aServerThatSendsHeadersAndThenStallsFailsWithinTheBoundToo() {
        try (SilentServer stalling = SilentServer.afterHeaders()) {
            MlflowServer mlflow = client(stalling.uri(), new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(3)));

            long t0 = System.nanoTime();
            InfraException e = catchThrowableOfType(() -> mlflow.getRun("0123456789abcdef"), InfraException.class);
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(e).isNotNull();
            assertThat(seconds).isLessThan(10);
            assertThat(e.getMessage()).contains("did not answer GET /api/2.0/mlflow/runs/get").contains("tracking.deadlineSeconds: 3 s");
            assertNoSecrets(e);
        }
    }

    @Test
    void theDeadlineBoundsEveryRetryOfOneCall() {
        try (SilentServer silent = SilentServer.start()) {
            MlflowServer mlflow = client(silent.uri(), new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofSeconds(2)));

            long t0 = System.nanoTime();
            InfraException e = catchThrowableOfType(() -> mlflow.startRun("churn", "r", Map.of()), InfraException.class);
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(e).isNotNull();
            assertThat(seconds).isLessThan(10);
            assertThat(silent.accepted()).as("a 2 s request timeout fills a 2 s deadline: no second attempt").isEqualTo(1);
            assertThat(e.getMessage()).contains("gave up after 1 attempt in ").contains("tracking.deadlineSeconds: 2 s");
            assertNoSecrets(e);
        }
    }

    @Test
    void aCreateWhoseReplyNeverComesTimesOutAndIsFoundByItsTokenNotSentAgain() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            MlflowServer mlflow = client(server.uri(), new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofSeconds(10)));
            server.failAfterWrite("POST runs/create", MlflowTestServer.Fault.NO_REPLY, 1);

            long t0 = System.nanoTime();
            RunRef run = mlflow.startRun("churn", "r", Map.of());

            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
            assertThat(server.runIds()).containsExactly(run.runId());
            assertNoSecrets(null);
        }
    }

    // ---------------------------------------------------------------- exit 3: the server stood in the way

    @Test
    void aRefusedConnectionIsExit3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MlopsException e = catchThrowableOfType(() -> client("http://127.0.0.1:" + port).registeredModelExists("m"), MlopsException.class);
        assertThat(e.exitCode()).isEqualTo(ExitCodes.INFRA);
        assertThat(e.getMessage()).isEqualTo("cannot reach MLflow tracking server at http://127.0.0.1:" + port
                + " (connection refused); check the tracking URI and that the server is running");
        assertNoSecrets(e);
    }

    @Test
    void fiveHundredsUntilTheAttemptsRunOutAreExit3() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.failNext(100, 503);
            MlopsException e = catchThrowableOfType(() -> client(server.uri()).registeredModelExists("m"), MlopsException.class);
            assertThat(e.exitCode()).isEqualTo(ExitCodes.INFRA);
            assertThat(e.getMessage()).contains(server.uri()).contains("HTTP 503").contains("after 4 attempts");
            assertThat(server.requests()).hasSize(4);
            assertNoSecrets(e);
        }
    }

    // ---------------------------------------------------------------- exit 2: wrong URI or refused credentials

    @Test
    void aWebServerAnsweringHtml404IsNotAnMlflowServerNotANewModel() {
        try (HtmlServer web = HtmlServer.answering(404)) {
            MlopsException e = catchThrowableOfType(() -> client(web.uri()).registeredModelExists("churn"), MlopsException.class);
            assertThat(e).as("an HTML 404 is not MLflow's RESOURCE_DOES_NOT_EXIST").isInstanceOf(InputException.class);
            assertThat(e.getMessage()).startsWith(web.uri() + " is not an MLflow tracking server: it answered HTTP 404 (text/html")
                    .contains("GET /api/2.0/mlflow/registered-models/get");
            assertThat(web.requests()).isEqualTo(1);
            assertNoSecrets(e);
        }
    }

    @Test
    void aWebServerAnsweringHtml200IsNotAnMlflowServer() {
        try (HtmlServer web = HtmlServer.answering(200)) {
            MlopsException e = catchThrowableOfType(() -> client(web.uri()).registeredModelExists("churn"), MlopsException.class);
            assertThat(e).isInstanceOf(InputException.class);
            assertThat(e.getMessage()).startsWith(web.uri() + " is not an MLflow tracking server: it answered HTTP 200 (text/html");
            MlopsException run = catchThrowableOfType(() -> client(web.uri()).startRun("e", "r", Map.of()), MlopsException.class);
            assertThat(run).isInstanceOf(InputException.class).hasMessageContaining("is not an MLflow tracking server");
        }
    }

    @Test
    void onlyMlflowsOwnNotFoundMeansDoesNotExist() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            assertThat(client(server.uri()).registeredModelExists("first-release")).isFalse();
        }
    }

    @Test
    void anHtml404FromAServerThatAlreadySpokeMlflowNamesTheMissingEndpoint() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.withoutEndpoint("GET registered-models/alias");
            server.seedRegisteredModel("churn");
            MlflowServer mlflow = client(server.uri());
            assertThat(mlflow.registeredModelExists("churn")).isTrue();
            MlopsException e = catchThrowableOfType(() -> mlflow.findByAlias("churn", "production"), MlopsException.class);
            assertThat(e).isInstanceOf(InputException.class);
            assertThat(e.getMessage()).isEqualTo("MLflow at " + server.uri() + " does not know GET /api/2.0/mlflow/registered-models/alias"
                    + "?name=churn&alias=production (HTTP 404, text/html; charset=utf-8); this tool speaks the REST API of MLflow 2.17,"
                    + " is the server older?");
        }
    }

    @Test
    void refusedCredentialsAreExit2() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.requireAuthorization("Bearer the-right-one");
            MlopsException unauthorized = catchThrowableOfType(() -> client(server.uri()).registeredModelExists("m"), MlopsException.class);
            assertThat(unauthorized.exitCode()).isEqualTo(ExitCodes.INPUT);
            assertThat(unauthorized.getMessage()).contains("HTTP 401").contains("credentials");
            assertNoSecrets(unauthorized);

            server.requireAuthorization(null);
            server.forbidAll();
            MlopsException forbidden = catchThrowableOfType(() -> client(server.uri()).registeredModelExists("m"), MlopsException.class);
            assertThat(forbidden.exitCode()).isEqualTo(ExitCodes.INPUT);
            assertThat(forbidden.getMessage()).contains("HTTP 403").contains("permission");
            assertNoSecrets(forbidden);
        }
    }

    @Test
    void anUnsupportedSchemeIsExit2() {
        MlopsException e = catchThrowableOfType(() -> Trackers.open("ftp://u:" + PASSWORD + "@host/x", tmp, TrackingCredentials.NONE,
                Timeouts.DEFAULTS, Log.NONE), MlopsException.class);
        assertThat(e.exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(e.getMessage()).contains("unsupported scheme");
        assertNoSecrets(e);
    }
}
