package dev.mlops.cli;

import dev.mlops.engine.tracking.HtmlServer;
import dev.mlops.engine.tracking.MlflowTestServer;
import dev.mlops.engine.tracking.SilentServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code mlops run} against a tracking server that stands in the way: it fails before training, leaves the previous
 * {@code out/} exactly as it was, and exits 3 when retrying later can help (the server is unreachable, silent or
 * failing) or 2 when the configuration must change (not an MLflow server, a bad scheme, refused credentials).
 */
class TrackingServerFailuresTest {
    private static final String SHA = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path dir;

    private Path spec;
    private Map<String, String> previousOut;

    @BeforeEach
    void previousRelease() throws IOException {
        spec = CliRun.copyExample(dir);
        Files.createDirectories(dir.resolve("out/reports"));
        Files.writeString(dir.resolve("out/model.tribuo"), "the model of the previous release");
        Files.writeString(dir.resolve("out/metrics.json"), "{\"accuracy\": 0.95}\n");
        Files.writeString(dir.resolve("out/reports/data.md"), "previous data report\n");
        previousOut = snapshot(dir.resolve("out"));
    }

    private static Map<String, String> snapshot(Path root) {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                files.put(root.relativize(f).toString(), new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    private CliRun runAgainst(String uri, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "-f", spec.toString(), "--tracking-uri", uri, "--git-sha", SHA));
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private void assertStoppedBeforeTraining(CliRun r, int exit, String message) {
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(exit);
        assertThat(r.err()).as(r.toString()).contains("error: ").contains(message).doesNotContain("\tat ");
        assertThat(r.err()).as("no training started").doesNotContain("trained ").doesNotContain("search");
        assertThat(snapshot(dir.resolve("out"))).as("out/ untouched").isEqualTo(previousOut);
        assertThat(dir.resolve("mlruns")).doesNotExist();
    }

    // ---------------------------------------------------------------- exit 3: retry later

    @Test
    void anUnreachableServerIsExit3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        assertStoppedBeforeTraining(runAgainst("http://127.0.0.1:" + port), 3,
                "cannot reach MLflow tracking server at http://127.0.0.1:" + port + " (connection refused)");
    }

    @Test
    void aServerThatNeverAnswersIsExit3WithinTheConfiguredBound() {
        try (SilentServer silent = SilentServer.start()) {
            long t0 = System.nanoTime();
            CliRun r = runAgainst(silent.uri(), "--set", "tracking.requestTimeoutSeconds=1", "--set", "tracking.deadlineSeconds=2");
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertStoppedBeforeTraining(r, 3, "MLflow tracking server at " + silent.uri() + " did not answer");
            assertThat(r.err()).contains("within 1 s (tracking.requestTimeoutSeconds)").contains("tracking.deadlineSeconds: 2 s");
            assertThat(seconds).as("1 s per request, 2 s in all, plus reading the data").isLessThan(20);
        }
    }

    @Test
    void aServerFailingWith5xxUntilTheRetriesRunOutIsExit3() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.failNext(1000, 503);
            assertStoppedBeforeTraining(runAgainst(server.uri()), 3, "HTTP 503");
        }
    }

    // ---------------------------------------------------------------- exit 2: fix the configuration

    @Test
    void aWebServerAnsweringHtml404IsNotMlflowAndExit2BeforeTraining() {
        try (HtmlServer web = HtmlServer.answering(404)) {
            assertStoppedBeforeTraining(runAgainst(web.uri()), 2, web.uri() + " is not an MLflow tracking server");
        }
    }

    @Test
    void aWebServerAnsweringHtml200IsNotMlflowAndExit2BeforeTraining() {
        try (HtmlServer web = HtmlServer.answering(200)) {
            assertStoppedBeforeTraining(runAgainst(web.uri()), 2, web.uri() + " is not an MLflow tracking server");
        }
    }

    @Test
    void trainAlsoChecksTheServerBeforeTraining() {
        try (HtmlServer web = HtmlServer.answering(404)) {
            CliRun r = CliRun.of("train", "-f", spec.toString(), "--tracking-uri", web.uri(), "--git-sha", SHA);
            assertStoppedBeforeTraining(r, 2, "is not an MLflow tracking server");
        }
    }

    @Test
    void anUnsupportedSchemeIsExit2() {
        assertStoppedBeforeTraining(runAgainst("ftp://mlflow.example.com/x"), 2, "unsupported scheme");
    }

    @Test
    void missingOrRefusedCredentialsAreExit2() {
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.requireAuthorization("Bearer only-the-right-token");
            assertStoppedBeforeTraining(runAgainst(server.uri()), 2, "HTTP 401");
        }
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.forbidAll();
            assertStoppedBeforeTraining(runAgainst(server.uri()), 2, "HTTP 403");
        }
    }

    // ---------------------------------------------------------------- the same run in either store

    @Test
    void aRunRecordsTheSameMlflowTagsLocallyAndOverHttp() throws Exception {
        CliRun local = CliRun.of("run", "-f", spec.toString(), "--git-sha", SHA, "-q");
        assertThat(local.exitCode()).as(local.toString()).isZero();
        Map<String, String> localTags = new TreeMap<>();
        try (Stream<Path> tags = Files.walk(dir.resolve("mlruns"))) {
            for (Path t : tags.filter(p -> p.getParent().getFileName().toString().equals("tags")).toList()) {
                if (t.getFileName().toString().startsWith("mlflow.")) {
                    localTags.put(t.getFileName().toString(), Files.readString(t));
                }
            }
        }

        try (MlflowTestServer server = MlflowTestServer.start()) {
            CliRun remote = runAgainst(server.uri(), "-q", "--out", dir.resolve("out-remote").toString());
            assertThat(remote.exitCode()).as(remote.toString()).isZero();
            Map<String, String> remoteTags = new TreeMap<>();
            server.runTags(server.runIds().get(0)).forEach((k, v) -> {
                if (k.startsWith("mlflow.")) {
                    remoteTags.put(k, v);
                }
            });
            assertThat(remoteTags).isEqualTo(localTags)
                    .containsKeys("mlflow.source.name", "mlflow.source.type", "mlflow.source.git.commit", "mlflow.user", "mlflow.runName")
                    .containsEntry("mlflow.source.git.commit", SHA);
        }
    }
}
