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
 * production releases, a refused release that leaves traffic on the healthy color, a rollback, and a deploy aborted
 * while it verifies (the child stopped gracefully, then killed outright).
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

    /** A credential the deploy carries: the abort must get it too (it may move a registry alias back), masked. */
    static final String TOKEN = "tok-abort-5e4d3c2b1a-s3cr3t";

    /**
     * A production deploy of v2 that verifies for minutes, started on {@code launcher} with an MLflow credential,
     * stopped once it has switched. The step's stop() runs `mlops abort` for the same spec, settings and
     * environment as the deploy, with the same credential in its environment, masked in the log.
     */
    private String abortWhileVerifying(RecordingLauncher launcher, InterruptedException cause) throws Exception {
        h.launcher = launcher;
        dev.mlops.jenkins.testing.TestJenkins.add(dev.mlops.jenkins.testing.TestCredentials.secretText("abort-token",
                TOKEN));
        BlueGreenDeployStep step = new BlueGreenDeployStep("2");
        step.setMlflowCredentialsId("abort-token");
        // The credential's value in a setting too (a user's slip): the echo of both command lines must mask it.
        step.setSet(List.of("deploy.port=" + port, "deploy.stagingPort=" + stagingPort,
                "deploy.smokeLatencyBudgetMs=10000", "deploy.verifySeconds=600", "tracking.experiment=" + TOKEN));
        int from = h.log().length();
        StepHarness.Started started = h.start(step);
        java.time.Instant deadline = java.time.Instant.now().plusSeconds(180);
        while (!h.log().substring(from).contains("switch: traffic on green") && java.time.Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(h.log().substring(from)).as("the deploy reached verification").contains("switch: traffic on green");
        assertThat(servedVersion(port)).as("traffic is on the unverified color").isEqualTo("2");

        started.execution().stop(cause);

        // The step fails with the abort's own cause, after the child was stopped and `mlops abort` ran.
        assertThat(catchThrowable(() -> started.context().outcome().get(3, java.util.concurrent.TimeUnit.MINUTES)))
                .isInstanceOf(java.util.concurrent.ExecutionException.class).cause().isSameAs(cause);
        assertThat(launcher.commands).hasSize(2);
        List<String> deployArgs = launcher.commands.get(0);
        List<String> abortArgs = launcher.commands.get(1);
        int d = deployArgs.indexOf("deploy");
        int a = abortArgs.indexOf("abort");
        assertThat(deployArgs.subList(d + 1, deployArgs.size())).as("the deploy's own arguments")
                .endsWith("--environment", "production", "--model-version", "2");
        assertThat(abortArgs.subList(a + 1, abortArgs.size())).as("abort: same spec, settings and environment")
                .isEqualTo(deployArgs.subList(d + 1, deployArgs.size() - 2));
        assertThat(abortArgs.subList(0, a)).as("same child JVM and bundle").isEqualTo(deployArgs.subList(0, d));
        assertThat(launcher.environments.get(1)).as("the abort gets the deploy's credential")
                .contains("MLFLOW_TRACKING_TOKEN=" + TOKEN);
        assertThat(h.log()).doesNotContain(TOKEN);
        assertThat(h.log().substring(from)).containsPattern("\\[mlops\\] mlops abort --json -f mlops.yaml .*"
                + "--set tracking.experiment=\\*\\*\\*\\* --environment production\n");
        // Traffic is back on the stable color and the release's entry is final and failed.
        assertThat(servedVersion(port)).isEqualTo("1");
        Map<String, Object> status = new com.fasterxml.jackson.databind.ObjectMapper().readValue(StepAssertions.cli(
                h.agentRoot, h.workspace, "status", "--json", "-f", "mlops.yaml", "--environment", "production",
                "--set", "deploy.port=" + port, "--set", "deploy.stagingPort=" + stagingPort), Map.class);
        assertThat(status).containsEntry("active", "blue");
        @SuppressWarnings("unchecked")
        Map<String, Object> newest = ((List<Map<String, Object>>) status.get("releases")).get(0);
        assertThat(newest).containsEntry("modelVersion", "2").containsEntry("color", "green")
                .containsEntry("outcome", "ABORTED");
        assertThat(newest.get("finishedAt")).isNotNull();
        return h.log().substring(from);
    }

    /**
     * Jenkins stops a child with SIGTERM first: the deploy's own shutdown hook switches back and records ABORTED,
     * and the `mlops abort` that follows finds nothing left to do and says so.
     */
    @Test
    @Order(5)
    void abortingADeployWhileItVerifiesPutsTrafficBackAndRecordsItAborted() throws Exception {
        try {
            String log = abortWhileVerifying(new RecordingLauncher(h.listener, ps -> { }),
                    new InterruptedException("aborted by tester"));
            assertThat(log).contains("blueGreenDeploy aborted: the child was stopped; putting traffic back on the stable color",
                    "interrupted during verification", "switch: traffic back on blue",
                    "[mlops] nothing left to abort (abort: no deploy of breast-cancer is in progress");
        } finally {
            h.launcher = new hudson.Launcher.LocalLauncher(h.listener);
        }
    }

    /**
     * When the child outlives Jenkins' soft-kill wait it gets SIGKILL: no hook runs, traffic stays on the unverified
     * color with the release IN_PROGRESS and the lock held. `mlops abort` takes the lock of the dead process over at
     * once, moves traffic back and records the release ABORTED.
     */
    @Test
    @Order(6)
    void abortingADeployWhoseChildIsKilledOutrightLeavesTheSwitchBackToMlopsAbort() throws Exception {
        try {
            String log = abortWhileVerifying(new HardKillLauncher(h.listener),
                    new InterruptedException("aborted by tester"));
            assertThat(log).doesNotContain("interrupted during verification")
                    .contains("taking over the deploy lock of", "is gone", "switch: traffic back on blue",
                            "[mlops] abort finished: release ", " ABORTED, traffic is on blue");
        } finally {
            h.launcher = new hudson.Launcher.LocalLauncher(h.listener);
        }
    }

    /**
     * A launcher whose stop is what Jenkins does once SoftKillWaitSeconds ran out: SIGKILL of the child alone (its own
     * children, the model servers, are left to run, as they are after a real kill -9).
     */
    static final class HardKillLauncher extends RecordingLauncher {
        HardKillLauncher(hudson.model.TaskListener listener) {
            super(listener, ps -> { });
        }

        @Override
        public hudson.Proc launch(ProcStarter ps) throws java.io.IOException {
            java.util.Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid)
                    .collect(java.util.stream.Collectors.toSet());
            hudson.Proc p = super.launch(ps);
            ProcessHandle child = ProcessHandle.current().children().filter(c -> !before.contains(c.pid())).findFirst()
                    .orElseThrow();
            return new hudson.Proc() {
                @Override
                public boolean isAlive() throws java.io.IOException, InterruptedException {
                    return p.isAlive();
                }

                @Override
                public void kill() throws java.io.IOException, InterruptedException {
                    child.destroyForcibly();
                    p.kill();
                }

                @Override
                public int join() throws java.io.IOException, InterruptedException {
                    try {
                        child.onExit().get();
                    } catch (InterruptedException e) {
                        child.destroyForcibly();
                        child.onExit().join();
                        throw e;
                    } catch (java.util.concurrent.ExecutionException e) {
                        throw new java.io.IOException(e);
                    }
                    return p.join();
                }

                @Override
                public java.io.InputStream getStdout() {
                    return p.getStdout();
                }

                @Override
                public java.io.InputStream getStderr() {
                    return p.getStderr();
                }

                @Override
                public java.io.OutputStream getStdin() {
                    return p.getStdin();
                }
            };
        }
    }
}
