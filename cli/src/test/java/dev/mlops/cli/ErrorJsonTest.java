package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With --json an error is machine-readable too (issue 9 §19): stdout carries {"error": {message, exitCode, kind}},
 * stderr the same message on one line, and the exit code matches.
 */
class ErrorJsonTest {
    @TempDir
    Path dir;

    private static JsonNode error(CliRun r) throws Exception {
        JsonNode root = Json.MAPPER.readTree(r.out());
        assertThat(root.fieldNames()).toIterable().containsExactly("error");
        return root.path("error");
    }

    @Test
    void anInputErrorIsKindInputExitTwo() throws Exception {
        CliRun r = CliRun.of("run", "-f", dir.resolve("nope.yaml").toString(), "--json");

        assertThat(r.exitCode()).isEqualTo(2);
        JsonNode e = error(r);
        assertThat(e.path("kind").asText()).isEqualTo("input");
        assertThat(e.path("exitCode").asInt()).isEqualTo(2);
        assertThat(e.path("message").asText()).contains("nope.yaml").contains("spec file not found");
        assertThat(r.err().strip()).isEqualTo("error: " + e.path("message").asText());
    }

    @Test
    void anInfrastructureErrorIsKindInfraExitThree() throws Exception {
        new LocalTarget("demo", new LocalTarget.Config(dir.resolve("state"), 18080, List.of("server"), List.of("proxy"), null),
                new HttpServerClient(Duration.ofSeconds(1)), Log.NONE, Clock.systemUTC())
                .lock().acquire("bob", "https://ci/job/9/", Duration.ofMinutes(5));

        CliRun r = CliRun.of("deploy", "--app", "demo", "--model-name", "m", "--model-version", "1",
                "--state-dir", dir.resolve("state").toString(), "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
        JsonNode e = error(r);
        assertThat(e.path("kind").asText()).isEqualTo("infra");
        assertThat(e.path("exitCode").asInt()).isEqualTo(3);
        assertThat(e.path("message").asText()).contains("held by bob");
        assertThat(r.err()).contains("error: " + e.path("message").asText()).doesNotContain("\tat ");
    }

    @Test
    void aUsageErrorWithJsonIsKindInputToo() throws Exception {
        CliRun r = CliRun.of("gate", "--json", "--no-such-option");

        assertThat(r.exitCode()).isEqualTo(2);
        JsonNode e = error(r);
        assertThat(e.path("kind").asText()).isEqualTo("input");
        assertThat(e.path("message").asText()).contains("--no-such-option");
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
    }

    @Test
    void withoutJsonStdoutStaysEmptyOnAnError() {
        CliRun r = CliRun.of("run", "-f", dir.resolve("nope.yaml").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).startsWith("error: ").contains("spec file not found");
    }
}
