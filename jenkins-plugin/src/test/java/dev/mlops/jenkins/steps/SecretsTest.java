package dev.mlops.jenkins.steps;

import dev.mlops.engine.tracking.MlflowTestServer;
import dev.mlops.jenkins.config.MlopsGlobalConfiguration;
import dev.mlops.jenkins.testing.RecordingLauncher;
import dev.mlops.jenkins.testing.StepHarness;
import dev.mlops.jenkins.testing.TestCredentials;
import dev.mlops.jenkins.testing.TestJenkins;
import hudson.model.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.mlops.jenkins.testing.StepAssertions.oneLineFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Credentials reach the mlops child (the strict MLflow test server refuses every request without them) and nothing
 * else: not the build log, not argv, not the returned maps, not the actions, not a file in the workspace.
 */
class SecretsTest {
    static final String TOKEN = "tok-9f8e7d6c5b4a-s3cr3t";
    static final String PASSWORD = "pw-Zq81-very-secret";
    static final String KUBE_TOKEN = "kube-bearer-77aa66bb55cc";

    @TempDir
    Path tmp;
    MlflowTestServer mlflow;
    StepHarness h;
    RecordingLauncher launcher;
    final List<String> launchChecks = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        mlflow = MlflowTestServer.start();
        h = new StepHarness(tmp);
        launcher = new RecordingLauncher(h.listener, ps -> inspectKubeconfig(ps.cmds()));
        h.launcher = launcher;
        TestJenkins.add(TestCredentials.secretText("mlflow-token", TOKEN));
        TestJenkins.add(TestCredentials.usernamePassword("mlflow-basic", "alice", PASSWORD));
        TestJenkins.add(TestCredentials.secretFile("kube", "config", "apiVersion: v1\nkind: Config\nusers:\n- name: ci\n"
                + "  user:\n    token: " + KUBE_TOKEN + "\n"));
    }

    @AfterEach
    void tearDown() {
        mlflow.close();
    }

    /** At launch, the kubeconfig is a private file beside (not in) the workspace, and its path is all argv carries. */
    private void inspectKubeconfig(List<String> cmd) {
        int i = cmd.indexOf("--kubeconfig");
        if (i < 0) {
            return;
        }
        try {
            Path file = Path.of(cmd.get(i + 1));
            launchChecks.add("exists=" + Files.isRegularFile(file));
            launchChecks.add("perms=" + PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            launchChecks.add("inWorkspace=" + file.startsWith(h.workspace));
            launchChecks.add("inTmp=" + file.startsWith(h.workspace.resolveSibling("p@tmp")));
            launchChecks.add("content=" + Files.readString(file).contains(KUBE_TOKEN));
        } catch (Exception e) {
            launchChecks.add("error=" + e);
        }
    }

    @Test
    void aTokenReachesTheServerAndNothingElse() throws Exception {
        mlflow.requireAuthorization("Bearer " + TOKEN);
        MlTrainStep step = new MlTrainStep();
        step.setTrackingUri(mlflow.uri());
        step.setMlflowCredentialsId("mlflow-token");
        Map<String, Object> r = h.run(step);

        assertThat((String) r.get("runId")).isNotBlank();
        assertThat(mlflow.requests()).isNotEmpty();
        assertNoSecretAnywhere(r, TOKEN);
        assertThat(TestJenkins.tracked()).containsExactly("mlflow-token");
        assertThat(launcher.environments.get(0)).contains("MLFLOW_TRACKING_TOKEN=" + TOKEN);
    }

    @Test
    void aSecretTheChildEchoesIsMaskedInTheLogAndTheResult() throws Exception {
        mlflow.requireAuthorization("Bearer " + TOKEN);
        MlTrainStep step = new MlTrainStep();
        step.setTrackingUri(mlflow.uri());
        step.setMlflowCredentialsId("mlflow-token");
        // A user put the token's value in an argument (the experiment name): the CLI prints it back, and the
        // plugin masks it in every line of the log and in the returned map, as withCredentials would.
        step.setSet(List.of("tracking.experiment=" + TOKEN));
        Map<String, Object> r = h.run(step);
        assertThat(h.log()).doesNotContain(TOKEN).contains("tracking.experiment=****").contains("experiment '****'");
        assertThat(r.toString()).doesNotContain(TOKEN);
    }

    @Test
    void usernameAndPasswordGoAsBasicAuthAndTheGlobalDefaultsApply() throws Exception {
        String basic = Base64.getEncoder().encodeToString(("alice:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        mlflow.requireAuthorization("Basic " + basic);
        MlopsGlobalConfiguration global = MlopsGlobalConfiguration.get();
        global.setTrackingUri(mlflow.uri());
        global.setMlflowCredentialsId("mlflow-basic");
        Map<String, Object> r = h.run(new MlTrainStep());

        assertThat((String) r.get("runId")).isNotBlank();
        assertThat(h.log()).contains("--tracking-uri " + mlflow.uri());
        assertNoSecretAnywhere(r, PASSWORD);
        assertNoSecretAnywhere(r, basic);
        assertThat(launcher.environments.get(0)).contains("MLFLOW_TRACKING_USERNAME=alice", "MLFLOW_TRACKING_PASSWORD=" + PASSWORD);
    }

    @Test
    void aKubeconfigLivesOutsideTheWorkspaceOnlyForTheCall() throws Exception {
        MlRollbackStep step = new MlRollbackStep();
        step.setKubeconfigCredentialsId("kube");
        // Nothing is deployed in this workspace: the rollback refuses, but only after the child got its kubeconfig.
        String m = oneLineFailure(catchThrowable(() -> h.run(step)), "mlRollback");
        assertThat(m).contains("nothing is deployed");
        assertThat(launchChecks).containsExactly("exists=true", "perms=rw-------", "inWorkspace=false", "inTmp=true",
                "content=true");
        try (var left = Files.list(h.workspace.resolveSibling("p@tmp"))) {
            assertThat(left.filter(f -> f.getFileName().toString().startsWith("mlops-kubeconfig"))).isEmpty();
        }
        assertThat(String.join(" ", launcher.commands.get(0))).doesNotContain(KUBE_TOKEN);
        assertThat(h.log()).doesNotContain(KUBE_TOKEN).doesNotContain("--kubeconfig");
        assertThat(TestJenkins.tracked()).contains("kube");
    }

    private void assertNoSecretAnywhere(Map<String, Object> result, String secret) throws Exception {
        assertThat(h.log()).doesNotContain(secret);
        assertThat(result.toString()).doesNotContain(secret);
        for (List<String> cmd : launcher.commands) {
            assertThat(String.join(" ", cmd)).doesNotContain(secret);
        }
        for (Action a : h.run.actions()) {
            assertThat(fieldsOf(a)).doesNotContain(secret);
        }
        try (var files = Files.walk(h.workspace)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".tribuo")).toList()) {
                assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(secret);
            }
        }
    }

    /** Every field value of an action, as build.xml would persist it. */
    private static String fieldsOf(Object o) throws IllegalAccessException {
        StringBuilder sb = new StringBuilder();
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                f.setAccessible(true);
                sb.append(f.getName()).append('=').append(f.get(o)).append('\n');
            }
        }
        return sb.toString();
    }
}
