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

        // Issue 9 §8: with the proxy killed, status says the public port is dead, and rollback brings it back first.
        long proxyPid = Json.MAPPER.readTree(dir.resolve("state/production/proxy.json").toFile()).path("pid").asLong();
        ProcessHandle proxy = ProcessHandle.of(proxyPid).orElseThrow();
        proxy.destroyForcibly();
        proxy.onExit().join();
        CliRun dead = CliRun.of(concat(new String[]{"status", "--json"}, target));
        assertThat(Json.MAPPER.readTree(dead.out()).path("endpoint").path("reachable").asBoolean(true))
                .as(dead.toString()).isFalse();
        assertThat(dead.exitCode()).as("an unhealthy endpoint is a failed status").isEqualTo(1);
        CliRun again = CliRun.of(concat(new String[]{"rollback", "--tracking-uri", mlruns, "--json"}, target));
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).contains("was gone and public port " + port
                + " refused connections; restarted it on the last known upstream blue");
        assertThat(servedVersion(port)).isEqualTo("2");
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
        target = new String[]{"-f", spec.toString(), "--set", "deploy.stagingPort=" + port, "--staging",
                "--set", "deploy.smokeLatencyBudgetMs=5000"};

        CliRun r = CliRun.of(concat(new String[]{"deploy", "--model-version", "1", "--verify-window", "1s", SLOW_MACHINE}, target));

        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(servedVersion(port)).isEqualTo("1");
        assertThat(alias(dir.resolve("proj/mlruns").toString(), "staging")).isEqualTo("1");
        assertThat(dir.resolve("proj/mlruns/models/breast-cancer-classifier/aliases/production")).doesNotExist();
        // Staging has its own state folder (ledger, lock, proxy), never production's.
        assertThat(dir.resolve("proj/.mlops/local/breast-cancer/staging/releases.json")).exists();
        assertThat(dir.resolve("proj/.mlops/local/breast-cancer/production/releases.json")).doesNotExist();
    }

    /**
     * Issue 9 §10 from the command line: Ctrl-C (SIGTERM) of a deploy while it verifies, and `mlops abort` of a deploy
     * verifying in another process, both end with traffic on the stable version and the release ABORTED.
     */
    @Test
    void aSignalledDeployAndAnAbortedDeployBothSwitchBackAndRecordAborted() throws Exception {
        Path spec = CliRun.copyExample(dir.resolve("proj"));
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q").exitCode()).isZero();
        assertThat(CliRun.of("run", "-f", spec.toString(), "-q", "--set", "model.seed=7").exitCode()).isZero();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        target = new String[]{"-f", spec.toString(), "--set", "deploy.port=" + port,
                "--set", "deploy.smokeLatencyBudgetMs=5000"};
        CliRun v1 = CliRun.of(concat(new String[]{"deploy", "--model-version", "1", "--verify-window", "1s"}, target));
        assertThat(v1.exitCode()).as(v1.toString()).isZero();

        // Ctrl-C: the JVM's shutdown hook interrupts the deploy, which switches back before the process ends.
        Process signalled = deployInAnotherProcess("2");
        signalled.destroy(); // SIGTERM, as Ctrl-C or a CI abort delivers it
        assertThat(signalled.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(servedVersion(port)).isEqualTo("1");
        JsonNode first = Json.MAPPER.readTree(CliRun.of(concat(new String[]{"status", "--json"}, target)).out())
                .path("releases").get(0);
        assertThat(first.path("modelVersion").asText()).isEqualTo("2");
        assertThat(first.path("outcome").asText()).isEqualTo("ABORTED");
        assertThat(first.path("reason").asText()).contains("interrupted during verification");

        // mlops abort from another shell while the deploy verifies.
        Process aborted = deployInAnotherProcess("2");
        CliRun abort = CliRun.of(concat(new String[]{"abort", "--json", "--who", "oncall"}, target));
        assertThat(abort.exitCode()).as(abort.toString()).isZero();
        JsonNode a = Json.MAPPER.readTree(abort.out());
        assertThat(a.path("release").path("outcome").asText()).isEqualTo("ABORTED");
        assertThat(a.path("release").path("reason").asText()).contains("aborted by oncall");
        assertThat(a.path("trafficOn").asText()).isEqualTo("blue");
        assertThat(aborted.waitFor(90, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(aborted.exitValue()).as("the aborted deploy itself reports a refused release").isEqualTo(1);
        assertThat(servedVersion(port)).isEqualTo("1");
        CliRun nothing = CliRun.of(concat(new String[]{"abort"}, target));
        assertThat(nothing.exitCode()).as(nothing.toString()).isEqualTo(2);
        assertThat(nothing.err()).contains("no deploy of breast-cancer is in progress");
    }

    /** `mlops deploy` as its own JVM with a long verification; returns once traffic is on the new color. */
    private Process deployInAnotherProcess(String version) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.mlops.cli.Main", "deploy", "--model-version", version,
                "--verify-window", "120s"));
        cmd.addAll(java.util.List.of(target));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("deploy-" + version
                + "-" + System.nanoTime() + ".log").toFile()).start();
        Path log = null;
        long until = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < until) {
            try (var files = Files.list(dir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().startsWith("deploy-")).toList()) {
                    if (Files.readString(f).contains("switch: traffic on green") && p.isAlive()) {
                        log = f;
                    }
                }
            }
            if (log != null) {
                break;
            }
            assertThat(p.isAlive()).as("deploy still running").isTrue();
            Thread.sleep(200);
        }
        assertThat(log).as("the deploy reached verification").isNotNull();
        Files.move(log, log.resolveSibling("done-" + log.getFileName()));
        return p;
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
