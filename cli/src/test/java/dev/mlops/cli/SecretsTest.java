package dev.mlops.cli;

import dev.mlops.engine.testing.EchoingServer;
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
        return mlops(java.util.Map.of("MLFLOW_TRACKING_TOKEN", token), args);
    }

    private Proc mlops(java.util.Map<String, String> env, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
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
            assertThat(ok.err()).contains("credentials are sent to " + server.uri()).contains("over plain http");
            assertNoFileContains(dir.resolve("proj"), TOKEN);

            Proc refused = mlops("tok-WRONG-0000", "run", "-f", spec.toString(), "--tracking-uri", server.uri());

            assertThat(refused.exit()).isEqualTo(2);
            assertThat(refused.err()).contains("error: ").doesNotContain("tok-WRONG-0000").doesNotContain(TOKEN).doesNotContain("\tat ");
        }
    }

    @Test
    void aKubernetesApiServerEchoingTheTokenGetsItIntoNoOutput() throws Exception {
        String token = "eyJhbGciOiJSUzI1NiJ9.kube-S3CRET.sig";
        try (EchoingServer api = EchoingServer.kubernetes(401)) {
            for (String[] command : List.of(new String[]{"status"}, new String[]{"rollback"},
                    new String[]{"deploy", "--model-version", "1", "--image", "srv:1", "--model-name", "m"})) {
                List<String> args = new java.util.ArrayList<>(List.of(command));
                args.addAll(List.of("--target", "kubernetes", "--api-server", api.url(), "-n", "ml", "--app", "demo"));
                Proc p = mlops(java.util.Map.of("MLOPS_KUBE_TOKEN", token), args.toArray(String[]::new));

                // refused credentials are input (exit 2, as for MLflow), naming the server and the method, not the token
                assertThat(p.exit()).as(command[0] + "\n" + p.err()).isEqualTo(2);
                assertThat(p.err()).as(command[0]).contains("API server " + api.url()).contains("refused a bearer token");
                assertThat(p.out() + p.err()).as(command[0]).doesNotContain(token).doesNotContain("kube-S3CRET")
                        .doesNotContain("\tat ");
                assertThat(p.err()).as(command[0]).contains("over plain http");
            }
            assertThat(api.authorizations()).contains("Bearer " + token); // it was sent, and echoed back
        }
        assertNoFileContains(dir, token);
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
