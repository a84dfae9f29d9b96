package dev.mlops.cli;

import dev.mlops.engine.tracking.MlflowTestServer;
import dev.mlops.engine.tracking.SilentServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MLflow token reaches the CLI the way it does in CI, through the environment of a separate process, and must
 * never show up in its output, its reports or the files it writes, whether the run succeeds or is refused.
 */
class SecretsTest {
    private static final String TOKEN = "tok-S3CRET-4f9a71";

    @TempDir
    Path dir;

    private record Proc(int exit, String out, String err) {
    }

    private Proc mlops(String token, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MLFLOW_TRACKING_TOKEN", token);
        pb.redirectOutput(dir.resolve("stdout.txt").toFile()).redirectError(dir.resolve("stderr.txt").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Proc(p.exitValue(), Files.readString(dir.resolve("stdout.txt")), Files.readString(dir.resolve("stderr.txt")));
    }

    @Test
    void tokenFromTheEnvironmentAuthenticatesAndIsNeverPrintedOrWritten() throws Exception {
        Path spec = CliRun.copyExample(dir.resolve("proj"));
        try (MlflowTestServer server = MlflowTestServer.start()) {
            server.requireAuthorization("Bearer " + TOKEN);

            Proc ok = mlops(TOKEN, "run", "-f", spec.toString(), "--tracking-uri", server.uri(), "--json");

            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(server.requests()).isNotEmpty().allMatch(r -> ("Bearer " + TOKEN).equals(r.header("Authorization")));
            assertThat(ok.out() + ok.err()).doesNotContain(TOKEN);
            assertNoFileContains(dir.resolve("proj"), TOKEN);

            Proc refused = mlops("tok-WRONG-0000", "run", "-f", spec.toString(), "--tracking-uri", server.uri());

            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("error: ").doesNotContain("tok-WRONG-0000").doesNotContain(TOKEN).doesNotContain("\tat ");
        }
    }

    @Test
    void tokenIsNotInTheTimeoutMessageOfAServerThatNeverAnswers() throws Exception {
        Path spec = CliRun.copyExample(dir.resolve("proj"));
        try (SilentServer silent = SilentServer.start()) {
            String withUserInfo = silent.uri().replace("http://", "http://ci:pw-" + TOKEN + "@");
            Proc p = mlops(TOKEN, "run", "-f", spec.toString(), "--tracking-uri", withUserInfo,
                    "--set", "tracking.requestTimeoutSeconds=1", "--set", "tracking.deadlineSeconds=2");

            assertThat(p.exit()).as(p.err()).isEqualTo(3);
            assertThat(p.err()).contains("did not answer").contains("retrying").doesNotContain("\tat ");
            assertThat(p.out() + p.err()).doesNotContain(TOKEN).doesNotContain("pw-");
            assertNoFileContains(dir.resolve("proj"), TOKEN);
        }
    }

    private static void assertNoFileContains(Path root, String secret) throws Exception {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text).as(f.toString()).doesNotContain(secret);
            }
        }
    }
}
