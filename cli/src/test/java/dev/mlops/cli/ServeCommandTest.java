package dev.mlops.cli;

import dev.mlops.serve.ServeConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;

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

    private record Run(int code, String err) {
    }

    private static Run run(ServeCommand command, String... args) {
        CommandLine cl = new CommandLine(command);
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, line, parse) -> Main.handle(ex, line.getErr()));
        return new Run(cl.execute(args), err.toString());
    }
}
