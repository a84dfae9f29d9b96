package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release story from the command line on the local target, with real 'mlops serve' processes behind the
 * proxy: two models trained and registered by 'mlops run', deploy v1, deploy v2, one-command rollback, status,
 * stop. The registry alias follows traffic both ways.
 */
class LocalDeployCommandTest {
    /**
     * These tests are about the release flow, not latency: a shared 2-core build machine can take 400 ms for one
     * smoke request (the 250 ms default budget has its own tests in SmokeTestTest).
     */
    private static final String SLOW_MACHINE = "--latency-budget=10s";

    @TempDir
    Path dir;

    private String[] target;

    @AfterEach
    void stopEverything() {
        if (target != null) {
            CliRun.of(concat(new String[]{"stop"}, target));
        }
    }

    @Test
    void deployTwoVersionsThenRollBackAndTheAliasFollowsTraffic() throws Exception {
        Path spec = CliRun.copyExample(dir.resolve("proj"));
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q").exitCode()).isZero();
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q", "--set", "model.seed=7").exitCode()).isZero();
        String mlruns = dir.resolve("proj/mlruns").toString();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        target = new String[]{"--app", "bc", "--port", Integer.toString(port), "--state-dir", dir.resolve("state").toString()};
        String[] common = concat(target, new String[]{"--tracking-uri", mlruns, "--model-name", "breast-cancer-classifier",
                "--smoke-samples", dir.resolve("proj/data/smoke.csv").toString(), "--verify-window", "1s", SLOW_MACHINE,
                "--alias", "production", "--json"});

        CliRun v1 = CliRun.of(concat(new String[]{"deploy", "--model-version", "1"}, common));
        assertThat(v1.exitCode()).as(v1.toString()).isZero();
        assertThat(Json.MAPPER.readTree(v1.out()).path("release").path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(servedVersion(port)).isEqualTo("1");
        assertThat(alias(mlruns, "production")).isEqualTo("1");

        CliRun v2 = CliRun.of(concat(new String[]{"deploy", "--model-version", "2"}, common));
        assertThat(v2.exitCode()).as(v2.toString()).isZero();
        assertThat(servedVersion(port)).isEqualTo("2");
        assertThat(alias(mlruns, "production")).isEqualTo("2");

        CliRun back = CliRun.of(concat(new String[]{"rollback", "--tracking-uri", mlruns, "--json"}, target));
        assertThat(back.exitCode()).as(back.toString()).isZero();
        assertThat(back.err()).contains("(warm, release");
        assertThat(servedVersion(port)).isEqualTo("1");
        assertThat(alias(mlruns, "production")).isEqualTo("1");

        CliRun status = CliRun.of(concat(new String[]{"status", "--json"}, target));
        assertThat(status.exitCode()).as(status.toString()).isZero();
        JsonNode s = Json.MAPPER.readTree(status.out());
        assertThat(s.path("active").asText()).isEqualToIgnoringCase("blue");
        assertThat(s.path("releases")).hasSize(3);
        assertThat(s.path("releases").get(0).path("kind").asText()).isEqualToIgnoringCase("rollback");
        assertThat(s.path("releases").get(1).path("outcome").asText()).isEqualTo("ROLLED_BACK");
    }

    @Test
    void aVersionThatFailsItsSmokeTestNeverTakesTraffic() throws Exception {
        Path spec = CliRun.copyExample(dir.resolve("proj"));
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q").exitCode()).isZero();
        String mlruns = dir.resolve("proj/mlruns").toString();
        // Expected labels flipped: a correct model now "fails" the smoke test, as a wrong model would.
        Path wrong = dir.resolve("wrong.csv");
        Files.writeString(wrong, Files.readString(dir.resolve("proj/data/smoke.csv"))
                .replace(",benign\n", ",XX\n").replace(",malignant\n", ",benign\n").replace(",XX\n", ",malignant\n"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // Everything else (app, model name, registry, alias 'production') comes from the spec.
        target = new String[]{"-f", spec.toString(), "--set", "deploy.port=" + port};

        CliRun r = CliRun.of(concat(new String[]{"deploy", "--model-version", "1", "--smoke-samples", wrong.toString(), SLOW_MACHINE}, target));

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("smoke test: predictions agree on");
        assertThat(r.out()).contains("FAILED (smoke test: predictions agree on");
        assertThat(dir.resolve("proj/mlruns/models/breast-cancer-classifier/aliases/production")).doesNotExist();
        CliRun status = CliRun.of(concat(new String[]{"status", "--json"}, target));
        assertThat(Json.MAPPER.readTree(status.out()).path("releases").get(0).path("outcome").asText()).isEqualTo("FAILED");
    }

    @Test
    void stagingDeployFromTheSpecUsesTheStagingPortAndAlias() throws Exception {
        Path spec = CliRun.copyExample(dir.resolve("proj"));
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q").exitCode()).isZero();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        target = new String[]{"-f", spec.toString(), "--set", "deploy.stagingPort=" + port, "--staging"};

        CliRun r = CliRun.of(concat(new String[]{"deploy", "--model-version", "1", "--verify-window", "1s", SLOW_MACHINE}, target));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(servedVersion(port)).isEqualTo("1");
        assertThat(alias(dir.resolve("proj/mlruns").toString(), "staging")).isEqualTo("1");
        assertThat(dir.resolve("proj/mlruns/models/breast-cancer-classifier/aliases/production")).doesNotExist();
        // Staging has its own state folder (ledger, lock, proxy), never production's.
        assertThat(dir.resolve("proj/.mlops/local/breast-cancer-staging/releases.json")).exists();
        assertThat(dir.resolve("proj/.mlops/local/breast-cancer/releases.json")).doesNotExist();
    }

    private static String servedVersion(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ready"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.headers().firstValue("X-Model-Version").orElseThrow();
    }

    private static String alias(String mlruns, String alias) throws Exception {
        return Files.readString(Path.of(mlruns, "models", "breast-cancer-classifier", "aliases", alias)).trim();
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
