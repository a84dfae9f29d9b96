package dev.mlops.cli;

import dev.mlops.serve.ServeConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServeCommandTest {

    @Test
    void optionsBecomeTheServerConfig() {
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs("--model", "m.tribuo", "--port", "9000", "--host", "127.0.0.1",
                "--max-body-bytes", "2048", "--max-batch", "7", "--threads", "3", "--drain-timeout", "1.5",
                "--drain-grace", "0.25", "--warmup-requests", "10", "--max-connections", "500", "--idle-timeout", "5",
                "--header-timeout", "2.5", "--body-timeout", "7");
        ServeConfig cfg = c.config();
        assertThat(cfg).isEqualTo(new ServeConfig("127.0.0.1", 9000, 2048, 7, 3, Duration.ofMillis(1500),
                Duration.ofMillis(250), 10, new ServeConfig.Connections(500, Duration.ofSeconds(5),
                Duration.ofMillis(2500), Duration.ofSeconds(7))));
    }

    @Test
    void defaultsBindLoopbackOnly() {
        // Issue 9 item 2: like `mlflow models serve` and gunicorn, reachable from other machines only when asked.
        ServeCommand c = new ServeCommand();
        new CommandLine(c).parseArgs("--model", "m.tribuo");
        ServeConfig cfg = c.config();
        assertThat(cfg.host()).isEqualTo("127.0.0.1");
        assertThat(ServeConfig.defaults().host()).isEqualTo("127.0.0.1");
        assertThat(new ServeConfig(null, 0, 1, 1, 1, null, null, 0).host()).isEqualTo("127.0.0.1");
        assertThat(new ServeConfig(" ", 0, 1, 1, 1, null, null, 0).host()).isEqualTo("127.0.0.1");
        assertThat(cfg.port()).isEqualTo(8080);
        assertThat(cfg.maxBodyBytes()).isEqualTo(1 << 20);
        assertThat(cfg.maxBatch()).isEqualTo(1000);
        assertThat(cfg.drainTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(cfg.drainGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(cfg.threads()).isEqualTo(Math.max(2, Runtime.getRuntime().availableProcessors()));
        assertThat(cfg.connections()).isEqualTo(ServeConfig.Connections.DEFAULTS);
    }

    @Test
    void aZeroOrNegativeTimeoutIsAnInputError() {
        Run r = run(new ServeCommand(), "--model", "m.tribuo", "--idle-timeout", "0");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("idle timeout must be positive");
    }

    @Test
    void aRegistryReferenceNeedsATrackingUri() {
        Run r = run(new ServeCommand(uri -> {
            throw new AssertionError("no tracker may be opened");
        }), "--model", "models:/credit@production", "--tracking-uri", "");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err).contains("give --tracking-uri or set MLFLOW_TRACKING_URI");
    }

    @Test
    void aMissingModelFileAndABadPortAreInputErrors() {
        Run missing = run(new ServeCommand(), "--model", "/nonexistent/m.tribuo", "--port", "0");
        assertThat(missing.code).isEqualTo(2);
        assertThat(missing.err).contains("/nonexistent/m.tribuo: model file not found");
        Run port = run(new ServeCommand(), "--model", "m.tribuo", "--port", "70000");
        assertThat(port.code).isEqualTo(2);
        assertThat(port.err).contains("port must be 0..65535");
    }

    @Test
    void locallyDeployedServersGetTheServersJvmFlags() {
        var runtime = Cli.context(java.util.Map.of(), new ConsoleLog(new PrintWriter(new StringWriter()), true)).localRuntime();
        assertThat(runtime.serveCommand()).containsSubsequence(dev.mlops.serve.ServerJvm.flags())
                .contains("-XX:+UseSerialGC").endsWith("dev.mlops.cli.Main", "serve");
    }

    /** What a pod spec sets with env: and no shell: the same settings as the options, options given still win. */
    @Test
    void mlopsEnvironmentVariablesAreTheOptionsDefaults() {
        ServeCommand c = new ServeCommand();
        CommandLine cl = new CommandLine(c).setDefaultValueProvider(new EnvDefaults(Map.of(
                "MLOPS_MODEL", "/models/model.tribuo", "MLOPS_HOST", "0.0.0.0", "MLOPS_PORT", "9090",
                "MLOPS_MODEL_NAME", "cancer", "MLOPS_MODEL_VERSION", "7", "MLOPS_MAX_BATCH", "5",
                "MLOPS_DRAIN_GRACE", "0.5", "MLOPS_WARMUP_REQUESTS", "3", "MLOPS_TRACKING_URI", "http://mlflow:5000")));
        cl.parseArgs("--max-batch", "9");
        assertThat(c.model).isEqualTo("/models/model.tribuo");
        assertThat(c.modelName).isEqualTo("cancer");
        assertThat(c.modelVersion).isEqualTo("7");
        assertThat(c.trackingUri).isEqualTo("http://mlflow:5000");
        ServeConfig cfg = c.config();
        assertThat(cfg.host()).isEqualTo("0.0.0.0");
        assertThat(cfg.port()).isEqualTo(9090);
        assertThat(cfg.maxBatch()).as("the option given wins over MLOPS_MAX_BATCH").isEqualTo(9);
        assertThat(cfg.drainGrace()).isEqualTo(Duration.ofMillis(500));
        assertThat(cfg.warmupRequests()).isEqualTo(3);
    }

    @Test
    void everyOptionHasAVariableAndTheHelpSaysSo() {
        CommandLine cl = new CommandLine(new ServeCommand());
        List<String> vars = EnvDefaults.variables(cl.getCommandSpec());
        assertThat(vars).contains("MLOPS_MODEL", "MLOPS_HOST", "MLOPS_PORT", "MLOPS_MODEL_NAME", "MLOPS_MODEL_VERSION",
                "MLOPS_MAX_BODY_BYTES", "MLOPS_TRACKING_URI").doesNotContain("MLOPS_HELP", "MLOPS_VERSION");
        assertThat(cl.getUsageMessage()).contains("MLOPS_MAX_BODY_BYTES");
    }

    @Test
    void theModelMayComeFromTheEnvironmentButMustComeFromSomewhere() {
        Run none = run(new ServeCommand(), Map.of());
        assertThat(none.code).isEqualTo(2);
        assertThat(none.err).contains("--model").contains("MLOPS_MODEL");
        Run fromEnv = run(new ServeCommand(), Map.of("MLOPS_MODEL", "/nonexistent/env.tribuo", "MLOPS_PORT", "0"));
        assertThat(fromEnv.code).isEqualTo(2);
        assertThat(fromEnv.err).contains("/nonexistent/env.tribuo: model file not found");
    }

    @Test
    void aBadValueInAVariableNamesTheVariable() {
        Run r = run(new ServeCommand(), Map.of("MLOPS_PORT", "eighty"), "--model", "m.tribuo");
        assertThat(r.code).isEqualTo(2);
        assertThat(r.err.lines().findFirst().orElse("")).contains("MLOPS_PORT=eighty").contains("--port");
    }

    private record Run(int code, String err) {
    }

    private static Run run(ServeCommand command, String... args) {
        return run(command, Map.of(), args);
    }

    private static Run run(ServeCommand command, Map<String, String> env, String... args) {
        CommandLine cl = new CommandLine(command).setDefaultValueProvider(new EnvDefaults(env));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> Main.handle(ex, line.getErr()));
        return new Run(cl.execute(args), err.toString());
    }
}
