package dev.mlops.engine.api;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.tracking.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Names given as options become folder names (the local target's state folder) and Kubernetes API paths
 * (namespaces): each release operation checks them before anything is created, exit 2 with the rule.
 */
class ReleaseNamesTest {
    @TempDir
    Path dir;

    private Engine engine() {
        return new Engine(EngineContext.of(dir, new RecordingLog()).withCi(Map.of("USER", "alice"))
                .withLocalRuntime(new EngineContext.LocalRuntime("java", "cp")));
    }

    private void assertRefusedAndNothingWritten(ThrowingCallable call, String... expected) throws Exception {
        Throwable t = catchThrowable(call);
        assertThat(t).isInstanceOf(InputException.class);
        assertThat(ErrorResult.of(t).exitCode()).isEqualTo(ExitCodes.INPUT);
        for (String e : expected) {
            assertThat(t.getMessage()).contains(e);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.toList()).as("nothing created beside the spec").allMatch(p -> p.getFileName().toString()
                    .equals("mlops.yaml"));
        }
    }

    @Test
    void anAppNameThatIsAPathIsRefusedByEveryOperationBeforeAnythingIsCreated() throws Exception {
        for (String app : List.of("../x", "a/b", "..", "Demo", "-x", "x".repeat(41))) {
            assertRefusedAndNothingWritten(() -> engine().status(new StatusRequest().withApp(app)),
                    "--app", "'" + app + "'", DeployConfig.APP_RULE);
            assertRefusedAndNothingWritten(() -> engine().stop(new StopRequest().withApp(app)), "'" + app + "'");
            assertRefusedAndNothingWritten(() -> engine().rollback(new RollbackRequest().withApp(app)), "'" + app + "'");
            assertRefusedAndNothingWritten(() -> engine().deploy(new DeployRequest("1").withApp(app).withModelName("m")),
                    "'" + app + "'");
            assertRefusedAndNothingWritten(() -> engine().status(new StatusRequest().withApp(app)
                    .withEnvironment("staging")), "'" + app + "'");
        }
    }

    @Test
    void anAppNameFromTheSpecsNameIsCheckedToo() throws Exception {
        Files.writeString(dir.resolve("mlops.yaml"), "name: Breast Cancer\ndata: {path: d.csv, target: y}\n");
        assertRefusedAndNothingWritten(() -> engine().status(new StatusRequest().withSpec("mlops.yaml")),
                "'Breast Cancer'", "deploy.app", DeployConfig.APP_RULE);
    }

    @Test
    void aNamespaceThatIsNotADnsLabelIsRefusedOnKubernetes() throws Exception {
        for (String ns : List.of("../kube-system", "a/b", "ML", "x".repeat(64))) {
            assertRefusedAndNothingWritten(() -> engine().status(new StatusRequest().withApp("demo")
                    .withTarget("kubernetes").withNamespace(ns).withApiServer("https://127.0.0.1:1")),
                    "--namespace", "'" + ns + "'");
        }
    }
}
