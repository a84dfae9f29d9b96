package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.actions.ReleaseAction;
import dev.mlops.jenkins.testing.RecordingLauncher;
import dev.mlops.jenkins.testing.StepAssertions;
import dev.mlops.jenkins.testing.StepHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mlops.jenkins.testing.StepAssertions.oneLineFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * blueGreenDeploy and mlRollback on the local target (real model servers and proxy on free ports): staging, then two
 * production releases, a refused release that leaves traffic on the healthy color, and a rollback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleaseStepsTest {
    @TempDir
    static Path tmp;
    StepHarness h;
    int port;
    int stagingPort;

    @BeforeAll
    void trainAndRegisterTwoVersions() throws Exception {
        h = new StepHarness(tmp);
        port = StepAssertions.freePort();
        stagingPort = StepAssertions.freePort();
        h.run(new MlTrainStep());
        h.run(new MlRegisterStep());
        h.run(new MlRegisterStep());
        // Smoke rows whose expected labels are all wrong: a release with them must be refused before the switch.
        List<String> lines = Files.readAllLines(h.workspace.resolve("data/smoke.csv"));
        List<String> wrong = new ArrayList<>(List.of(lines.get(0)));
        for (String l : lines.subList(1, lines.size())) {
            wrong.add(l.endsWith("malignant") ? l.replaceAll("malignant$", "benign") : l.replaceAll("benign$", "malignant"));
        }
        Files.write(h.workspace.resolve("data/wrong-smoke.csv"), wrong);
    }

    @AfterAll
    void stopTheApps() throws Exception {
        for (String env : List.of("production", "staging")) {
            StepAssertions.cli(h.agentRoot, h.workspace, "stop", "-f", "mlops.yaml", "--environment", env,
                    "--set", "deploy.port=" + port, "--set", "deploy.stagingPort=" + stagingPort);
        }
    }

    private List<String> fast(String... more) {
        // A generous smoke latency budget: these tests check the release flow, not speed on a loaded 2-core machine.
        List<String> set = new ArrayList<>(List.of("deploy.port=" + port, "deploy.stagingPort=" + stagingPort,
                "deploy.verifySeconds=1", "deploy.smokeLatencyBudgetMs=10000"));
        set.addAll(List.of(more));
        return set;
    }

    private BlueGreenDeployStep deploy(String environment, String version, String... set) {
        BlueGreenDeployStep step = new BlueGreenDeployStep(version);
        step.setEnvironment(environment);
        step.setSet(fast(set));
        return step;
    }

    private static String servedVersion(int port) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
                HttpResponse.BodyHandlers.ofString());
        return r.headers().firstValue("X-Model-Version").orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> release(Map<String, Object> r) {
        return (Map<String, Object>) r.get("release");
    }

    @Test
    @Order(1)
    void stagingDeployReturnsTheReleaseAndShowsIt() throws Exception {
        Map<String, Object> r = h.run(deploy("staging", "1"));
        assertThat(r).containsEntry("exitCode", 0).containsEntry("trafficOn", "blue");
        assertThat(release(r)).containsEntry("environment", "staging").containsEntry("color", "blue")
                .containsEntry("modelVersion", "1").containsEntry("outcome", "SUCCEEDED").containsEntry("alias", "staging")
                .containsEntry("gitSha", h.env.get("GIT_COMMIT")).containsEntry("buildUrl", h.env.get("BUILD_URL"));
        assertThat(servedVersion(stagingPort)).isEqualTo("1");
        ReleaseAction a = h.run.getActions(ReleaseAction.class).get(0);
        assertThat(a.getUrlName()).isEqualTo("mlops-staging");
        assertThat(a.getDisplayName()).isEqualTo("Release (staging)");
        assertThat(a.getColor()).isEqualTo("blue");
        assertThat(a.isSucceeded()).isTrue();
        assertThat(h.log()).contains("[mlops] mlops deploy --json -f mlops.yaml").contains("--environment staging");
    }

    @Test
    @Order(2)
    void productionReleasesGoBlueThenGreen() throws Exception {
        assertThat(release(h.run(deploy("production", "1")))).containsEntry("color", "blue");
        Map<String, Object> r = h.run(deploy("production", "2"));
        assertThat(release(r)).containsEntry("color", "green").containsEntry("modelVersion", "2")
                .containsEntry("environment", "production").containsEntry("alias", "production");
        assertThat(r).containsEntry("trafficOn", "green");
        assertThat(servedVersion(port)).isEqualTo("2");
    }

    @Test
    @Order(3)
    void aRefusedReleaseFailsTheStepWithTheReasonAndTrafficStaysOnTheHealthyColor() throws Exception {
        BlueGreenDeployStep step = deploy("production", "1", "deploy.smokeSamples=data/wrong-smoke.csv");
        String m = oneLineFailure(catchThrowable(() -> h.run(step)), "blueGreenDeploy");
        assertThat(m).matches("blueGreenDeploy: production deploy \\S+ \\(breast-cancer-classifier v1 on blue\\) FAILED: "
                + ".*smoke.*; traffic is on green");
        assertThat(servedVersion(port)).isEqualTo("2");
        ReleaseAction failed = h.run.getActions(ReleaseAction.class).get(h.run.getActions(ReleaseAction.class).size() - 1);
        assertThat(failed.getOutcome()).isEqualTo("FAILED");
        assertThat(failed.getTrafficOn()).isEqualTo("green");

        step.setPropagate(false);
        Map<String, Object> r = h.run(step);
        assertThat(r).containsEntry("exitCode", 1).containsEntry("trafficOn", "green");
        assertThat(release(r)).containsEntry("outcome", "FAILED");
        assertThat(h.log()).contains("(propagate: false)");
    }

    @Test
    @Order(4)
    void rollbackRestoresThePreviousRelease() throws Exception {
        MlRollbackStep step = new MlRollbackStep();
        step.setSet(fast());
        Map<String, Object> r = h.run(step);
        assertThat(release(r)).containsEntry("kind", "rollback").containsEntry("modelVersion", "1")
                .containsEntry("color", "blue").containsEntry("outcome", "SUCCEEDED");
        assertThat(r).containsEntry("trafficOn", "blue");
        assertThat(servedVersion(port)).isEqualTo("1");
        ReleaseAction a = h.run.getActions(ReleaseAction.class).get(h.run.getActions(ReleaseAction.class).size() - 1);
        assertThat(a.getDisplayName()).isEqualTo("Rollback (production)");
        assertThat(h.log()).contains("[mlops] mlops rollback --json -f mlops.yaml").contains("--to previous");
    }

    @Test
    @Order(5)
    void abortingADeployStopsItRunsTheAbortAndTrafficStaysOnTheStableColor() throws Exception {
        RecordingLauncher launcher = new RecordingLauncher(h.listener, ps -> { });
        h.launcher = launcher;
        try {
            StepHarness.Started started = h.start(deploy("production", "2"));
            java.time.Instant deadline = java.time.Instant.now().plusSeconds(120);
            int from = h.log().length();
            while (!h.log().substring(from).contains("apply: green") && java.time.Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(h.log().substring(from)).contains("apply: green");
            InterruptedException cause = new InterruptedException("aborted by tester");
            started.execution().stop(cause);
            assertThat(catchThrowable(() -> started.context().outcome().get(2, java.util.concurrent.TimeUnit.MINUTES)))
                    .hasCause(cause);
            // The deploy's child is stopped, then the same target is told to abort: mlops abort (from the deploy work;
            // until the command line has it, the log says the abort did not finish and traffic was never switched).
            assertThat(launcher.commands).hasSize(2);
            assertThat(launcher.commands.get(1)).contains("abort", "--json", "-f", "mlops.yaml", "--environment", "production");
            assertThat(h.log().substring(from)).contains("blueGreenDeploy aborted: the child was stopped")
                    .containsPattern("abort (finished|did not finish)");
            assertThat(servedVersion(port)).isEqualTo("1");
        } finally {
            h.launcher = new hudson.Launcher.LocalLauncher(h.listener);
        }
    }
}
