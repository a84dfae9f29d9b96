package dev.mlops.engine.api;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.tracking.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Release operations on the local target through the engine: the server and proxy command lines come from the
 * context's local runtime (java binary and classpath), a refused release is a result, status and stop read the state
 * folder. Real processes (a fake "java" that records its arguments), no fixed ports.
 */
class LocalReleaseTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    /** A "java" that writes its arguments to args.txt and exits 3, as a server that cannot start would. */
    private Path fakeJava() throws Exception {
        Path java = dir.resolve("fake-java");
        Files.writeString(java, "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"" + dir.resolve("args.txt") + "\"\nexit 3\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return java;
    }

    private Engine engine(EngineContext.LocalRuntime runtime) {
        return new Engine(EngineContext.of(dir, log).withCi(Map.of("USER", "alice")).withLocalRuntime(runtime));
    }

    @Test
    void theModelServerStartsFromTheContextsRuntimeAndARefusedDeployIsAResult() throws Exception {
        Engine e = engine(new EngineContext.LocalRuntime(fakeJava().toString(), "/opt/mlops/mlops.jar:/opt/mlops/lib/*",
                List.of("-XX:+UseSerialGC", "-Xmx160m")));
        DeployRequest req = new DeployRequest("3").withApp("demo").withModelName("cancer").withStateDir("state")
                .withPort(freePort()).withTrackingUri("registry");

        ReleaseResult r = e.deploy(req);

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.release().outcome()).isEqualTo("FAILED");
        assertThat(r.release().reason()).contains("exited with code 3");
        assertThat(r.release().environment()).isEqualTo("production");
        assertThat(r.release().who()).isEqualTo("alice");
        assertThat(r.release().gitSha()).as("unknown outside git and CI: null, not \"\"").isNull();
        assertThat(r.release().buildUrl()).isNull();
        assertThat(r.trafficOn()).as("nothing ever served").isNull();
        assertThat(Json.MAPPER.readValue(Json.write(r), ReleaseResult.class)).isEqualTo(r);
        List<String> args = Files.readAllLines(dir.resolve("args.txt"));
        assertThat(args.subList(0, 6)).as("the model server's JVM flags, then the CLI's serve")
                .containsExactly("-XX:+UseSerialGC", "-Xmx160m", "-cp", "/opt/mlops/mlops.jar:/opt/mlops/lib/*",
                        "dev.mlops.cli.Main", "serve");
        assertThat(String.join(" ", args)).contains("--model models:/cancer/3 --model-name cancer --model-version 3")
                .contains("--tracking-uri " + dir.resolve("registry"));

        StatusResult s = e.status(new StatusRequest().withApp("demo").withStateDir("state"));
        assertThat(s.active()).isNull();
        assertThat(s.endpoint()).isNull();
        assertThat(s.releases()).extracting(ReleaseInfo::outcome).containsExactly("FAILED");
        assertThat(Json.MAPPER.readValue(Json.write(s), StatusResult.class)).isEqualTo(s);

        StopResult stopped = e.stop(new StopRequest().withApp("demo").withStateDir("state"));
        assertThat(stopped).isEqualTo(new StopResult("demo", "production", List.of(), 0));
    }

    @Test
    void aHeldLockIsAnInfrastructureErrorAndNothingStarts() throws Exception {
        Path state = dir.resolve("state");
        new LocalTarget("demo", new LocalTarget.Config(state, 18080, List.of("server"), List.of("proxy"), null),
                new HttpServerClient(Duration.ofSeconds(1)), log, Clock.systemUTC())
                .lock().acquire("bob", "https://ci/job/9/", Duration.ofMinutes(5));
        Engine e = engine(new EngineContext.LocalRuntime(fakeJava().toString(), "cp"));

        assertThatThrownBy(() -> e.deploy(new DeployRequest("1").withApp("demo").withModelName("m").withStateDir("state")))
                .isInstanceOf(InfraException.class).hasMessageContaining("bob");
        assertThat(dir.resolve("args.txt")).doesNotExist();
    }

    @Test
    void withoutALocalRuntimeTheLocalTargetSaysSo() {
        Engine e = engine(null);
        assertThatThrownBy(() -> e.status(new StatusRequest().withApp("demo").withStateDir("state")))
                .isInstanceOf(InputException.class).hasMessageContaining("local runtime");
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsCreated() {
        Engine e = engine(new EngineContext.LocalRuntime("java", "cp"));
        assertThatThrownBy(() -> e.deploy(new DeployRequest("1").withModelName("m")))
                .isInstanceOf(InputException.class).hasMessageContaining("app name is required");
        assertThatThrownBy(() -> e.deploy(new DeployRequest("1").withApp("demo")))
                .isInstanceOf(InputException.class).hasMessageContaining("model name is required");
        assertThatThrownBy(() -> e.deploy(new DeployRequest("1").withApp("demo").withModelName("m")
                .withStateDir("state").withMinAgreement(2.0)))
                .isInstanceOf(InputException.class).hasMessageContaining("minAgreement");
        assertThatThrownBy(() -> e.deploy(new DeployRequest("1").withApp("demo").withModelName("m")
                .withEnvironment("qa"))).isInstanceOf(InputException.class).hasMessageContaining("production' or 'staging");
        assertThatThrownBy(() -> e.deploy(new DeployRequest("1").withApp("demo").withModelName("m").withAlias("production")
                .withStateDir("state"))).isInstanceOf(InputException.class).hasMessageContaining("MLFLOW_TRACKING_URI");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    private static int freePort() throws Exception {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
