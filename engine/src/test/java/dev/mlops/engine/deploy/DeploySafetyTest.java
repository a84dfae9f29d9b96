package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.MlopsException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What happens after the switch and across many releases (issue 9 §10-§14), on the fabric8 mock API server with
 * {@link FakeCluster} playing the controllers: interrupts and aborts switch back, a refused switch-back is retried and
 * then reported, a warm rollback moves traffic only onto full capacity, the color just left stays at full size for
 * the scale-down delay, failed attempts never push good releases out of the ledger, and a missing model version is
 * refused before anything is touched.
 */
@EnableKubernetesMockClient(crud = true)
class DeploySafetyTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();
    static final String NS = KubeWorld.NS;
    static final String APP = KubeWorld.APP;

    KubernetesClient client;
    KubernetesMockServer server;

    KubernetesClient kube;
    FakeClock clock;
    FakeCluster cluster;
    ListLog log;
    MemoryTracker tracker;
    KubernetesTarget target;
    BlueGreen bg;

    @BeforeEach
    void setUp() {
        KubeWorld w = new KubeWorld(client);
        kube = w.kube; clock = w.clock; cluster = w.cluster; log = w.log; tracker = w.tracker; target = w.target; bg = w.bg;
    }

    @AfterEach
    void tearDown() {
        Thread.interrupted(); // never leak an interrupt into the next test
        kube.close();
    }

    private Deployment deployment(Color c) {
        return kube.apps().deployments().inNamespace(NS).withName(KubeObjects.deploymentName(APP, c)).get();
    }

    private int replicas(Color c) {
        return deployment(c).getSpec().getReplicas();
    }

    private void baseline() {
        assertThat(bg.deploy(KubernetesFaultTest.cfg("srv:1", "1")).color()).isEqualTo(Color.BLUE);
    }

    /** Runs {@code r} once, on the first sleep after traffic moved to {@code c}. */
    private void onceTrafficIsOn(Color c, Runnable r) {
        AtomicBoolean fired = new AtomicBoolean();
        cluster.onSleep.add(() -> {
            if (!fired.get() && target.activeColor().equals(Optional.of(c))) {
                fired.set(true);
                r.run();
            }
        });
    }

    private void assertTrafficOnBlueV1AndLockFree() {
        assertThat(target.activeColor()).contains(Color.BLUE);
        assertThat(cluster.get(target.activeEndpoint(), "/health").modelVersion()).isEqualTo("1");
        assertThat(kube.leases().inNamespace(NS).withName(KubeObjects.leaseName(APP)).get()).as("lock released").isNull();
    }

    // ---- §10: interrupts and exceptions after the switch ----

    @Test
    void anInterruptDuringVerificationSwitchesBackAndRecordsTheReleaseAsAborted() {
        baseline();
        // What Sleeper.REAL does when Jenkins aborts the build or Ctrl-C interrupts the thread.
        onceTrafficIsOn(Color.GREEN, () -> {
            Thread.currentThread().interrupt();
            throw new InterruptedDeployException("interrupted while waiting");
        });
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:2", "2")))
                .isInstanceOf(DeployFailedException.class).hasMessageContaining("interrupted")
                .hasMessageContaining("traffic is back on blue");
        assertThat(Thread.interrupted()).as("the interrupt is handed back to the caller").isTrue();
        assertTrafficOnBlueV1AndLockFree();
        Release r = target.ledger().read().get(0);
        assertThat(r.modelVersion()).isEqualTo("2");
        assertThat(r.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(replicas(Color.GREEN)).as("unverified color scaled down").isZero();
        assertThat(tracker.alias("cancer", "production")).isEqualTo("1");
    }

    @Test
    void anyExceptionDuringVerificationSwitchesBackAndRecordsTheReleaseAsFailed() {
        baseline();
        onceTrafficIsOn(Color.GREEN, () -> {
            throw new IllegalArgumentException("probe client blew up");
        });
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:2", "2")))
                .isInstanceOf(DeployFailedException.class).hasMessageContaining("probe client blew up")
                .hasMessageContaining("traffic is back on blue");
        assertTrafficOnBlueV1AndLockFree();
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.FAILED);
    }

    @Test
    void anInterruptBeforeTheSwitchScalesTheIdleColorDownAndLeavesTrafficAlone() {
        baseline();
        cluster.faults.put("srv:slow", FakeCluster.Fault.NEVER_READY);
        AtomicBoolean fired = new AtomicBoolean();
        cluster.onSleep.add(() -> {
            if (!fired.getAndSet(true)) {
                Thread.currentThread().interrupt();
                throw new InterruptedDeployException("interrupted while waiting");
            }
        });
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:slow", "2")))
                .isInstanceOf(DeployFailedException.class).hasMessageContaining("interrupted");
        assertThat(Thread.interrupted()).isTrue();
        assertTrafficOnBlueV1AndLockFree();
        assertThat(replicas(Color.GREEN)).isZero();
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.ABORTED);
    }

    // ---- §10: an explicit abort ----

    @Test
    void anAbortWhileVerifyingSwitchesBackAndTheAbortCommandReturnsTheAbortedRelease() throws Exception {
        baseline();
        // The abort command runs beside the deploy, as `mlops abort` would from another shell or Jenkins step.
        BlueGreen other = new BlueGreen(new KubernetesTarget(kube, APP, KubeSettings.of(NS), new ListLog(), clock,
                cluster), tracker, cluster, new ListLog(), clock, d -> pause(20));
        AtomicReference<Object> result = new AtomicReference<>();
        Thread aborter = new Thread(() -> {
            try {
                result.set(other.abort(APP, "bob", Duration.ofSeconds(60)));
            } catch (Throwable t) {
                result.set(t);
            }
        });
        onceTrafficIsOn(Color.GREEN, () -> {
            aborter.start();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (target.lock().current().map(LockInfo::abortRequestedBy).isEmpty() && System.nanoTime() < until) {
                pause(10);
            }
        });
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:2", "2")))
                .isInstanceOf(DeployFailedException.class).hasMessageContaining("aborted by bob during verification")
                .hasMessageContaining("traffic is back on blue");
        aborter.join(30_000);
        assertTrafficOnBlueV1AndLockFree();
        Release aborted = target.ledger().read().get(0);
        assertThat(aborted.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(replicas(Color.GREEN)).isZero();
        assertThat(log.text()).contains("abort requested by bob");
        assertThat(result.get()).as("what the abort command returns").isInstanceOf(Release.class);
        assertThat(((Release) result.get()).id()).isEqualTo(aborted.id());
        assertThat(((Release) result.get()).outcome()).isEqualTo(Outcome.ABORTED);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void abortingARunThatDiedAfterTheSwitchMovesTrafficBackItself() {
        baseline();
        // A run killed while verifying: green serves, the ledger says IN_PROGRESS, the lock is still held.
        Target dying = new DiesWhileVerifying(target);
        BlueGreen doomed = new BlueGreen(dying, tracker, cluster, log, clock, cluster);
        assertThatThrownBy(() -> doomed.deploy(KubernetesFaultTest.cfg("srv:2", "2")))
                .isInstanceOf(DiesWhileVerifying.Died.class);
        assertThat(target.activeColor()).contains(Color.GREEN);
        clock.advance(Duration.ofSeconds(91)); // the dead run's lease runs out
        Release r = bg.abort(APP, "bob", Duration.ofSeconds(10));
        assertThat(r.modelVersion()).isEqualTo("2");
        assertThat(r.outcome()).isEqualTo(Outcome.ABORTED);
        assertTrafficOnBlueV1AndLockFree();
        assertThat(replicas(Color.GREEN)).isZero();
    }

    /**
     * A warm flip serves a color an earlier release prepared, so the color's release id is not the flip's. A flip that
     * died after its switch is still recognised as serving: the abort moves traffic back instead of scaling the
     * serving color to zero.
     */
    @Test
    void abortingAWarmFlipThatDiedAfterItsSwitchMovesTrafficBackAndNeverScalesTheServingColorAway() {
        baseline();
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        BlueGreen doomed = new BlueGreen(new DiesWhileVerifying(target), tracker, cluster, log, clock, cluster);
        assertThatThrownBy(() -> doomed.rollback(RollbackConfig.toPrevious(APP, "carol")))
                .isInstanceOf(DiesWhileVerifying.Died.class);
        assertThat(target.activeColor()).contains(Color.BLUE);
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.IN_PROGRESS);
        clock.advance(Duration.ofSeconds(91)); // the dead run's lease runs out

        Release r = bg.abort(APP, "bob", Duration.ofSeconds(10));

        assertThat(r.kind()).isEqualTo("rollback");
        assertThat(r.outcome()).isEqualTo(Outcome.ABORTED);
        assertThat(target.activeColor()).as("back on the release the flip left").contains(Color.GREEN);
        cluster.sleep(Duration.ofSeconds(5)); // past the stale endpoints
        assertThat(cluster.get(target.activeEndpoint(), "/health").modelVersion()).isEqualTo("2");
        assertThat(replicas(Color.GREEN)).isEqualTo(2);
        assertThat(log.text()).contains("stopped after the switch").doesNotContain("blue scaled to zero; active");
    }

    @Test
    void abortWithNothingInProgressIsAnInputError() {
        baseline();
        assertThatThrownBy(() -> bg.abort(APP, "bob", Duration.ofSeconds(5))).isInstanceOf(InputException.class)
                .hasMessageContaining("no deploy of demo is in progress");
        assertTrafficOnBlueV1AndLockFree();
    }

    // ---- §9 on the Lease: a holder killed on this machine does not block for the lease time ----

    @Test
    void aLeaseWhoseHolderProcessIsGoneFromThisMachineIsTakenOverAtOnce() throws Exception {
        target.lock().acquire("ci-run-41", "https://ci/job/41", Duration.ofSeconds(90));
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ProcessIdentity dead = new ProcessIdentity(gone.pid(), ProcessIdentity.current().machine(), null);
        kube.leases().inNamespace(NS).withName(KubeObjects.leaseName(APP)).edit(l -> {
            l.getMetadata().getAnnotations().put(KubernetesTarget.A_HOLDER_PROCESS, DeployJson.compact(dead));
            return l;
        });
        LockInfo mine = target.lock().acquire("ci-run-42", null, Duration.ofSeconds(90));
        assertThat(mine.holder()).isEqualTo("ci-run-42");
        assertThat(log.text()).contains("taking over the deploy lock of ci-run-41 (https://ci/job/41)",
                "at once: its process (pid " + gone.pid() + " on ");
        // A live holder (this JVM) still blocks.
        assertThatThrownBy(() -> target.lock().acquire("ci-run-43", null, Duration.ofSeconds(90)))
                .hasMessageContaining("held by ci-run-42");
    }

    // ---- §11: a refused switch-back ----

    @Test
    void aRefusedSwitchBackIsRetriedThenReportedNamingWhoHoldsTrafficAndWhatToRun() {
        baseline();
        cluster.faults.put("srv:flaky", FakeCluster.Fault.FAILS_UNDER_TRAFFIC);
        // Once traffic is on green, every selector patch is refused (as an admission webhook or RBAC change would).
        Target refusingAfterTheSwitch = new Forwarding(target) {
            @Override
            public void switchTo(Color c, String id) {
                t.switchTo(c, id);
                if (c == Color.GREEN) {
                    server.expect().patch().withPath("/api/v1/namespaces/ml/services/demo")
                            .andReturn(403, new StatusBuilder().withCode(403).withReason("Forbidden")
                                    .withMessage("services \"demo\" is forbidden: denied by policy").build())
                            .times(BlueGreen.SWITCH_BACK_ATTEMPTS);
                }
            }
        };
        BlueGreen refused = new BlueGreen(refusingAfterTheSwitch, tracker, cluster, log, clock, cluster);
        assertThatThrownBy(() -> refused.deploy(KubernetesFaultTest.cfg("srv:flaky", "2")))
                .isInstanceOf(InfraException.class)
                .hasMessageContaining("traffic is on green")
                .hasMessageContaining("blue still runs release")
                .hasMessageContaining("mlops rollback")
                .satisfies(e -> assertThat(((MlopsException) e).exitCode()).isEqualTo(3));
        assertThat(log.text()).contains("switch back to blue: attempt 1 of " + BlueGreen.SWITCH_BACK_ATTEMPTS + " failed",
                "switch back to blue: attempt " + BlueGreen.SWITCH_BACK_ATTEMPTS + " of " + BlueGreen.SWITCH_BACK_ATTEMPTS);
        Release r = target.ledger().read().get(0);
        assertThat(r.outcome()).isEqualTo(Outcome.SWITCH_BACK_FAILED);
        assertThat(r.reason()).contains("traffic is on green");
        assertThat(target.activeColor()).contains(Color.GREEN);
        assertThat(replicas(Color.GREEN)).as("the color holding traffic is not scaled away").isEqualTo(2);
        assertThat(replicas(Color.BLUE)).as("the stable color stays ready to take traffic back").isEqualTo(2);
        assertThat(kube.leases().inNamespace(NS).withName(KubeObjects.leaseName(APP)).get()).isNull();

        // What the message says to run works: a warm flip back to v1.
        Release back = bg.rollback(RollbackConfig.toPrevious(APP, "bob"));
        assertThat(back.modelVersion()).isEqualTo("1");
        assertTrafficOnBlueV1AndLockFree();
    }

    // ---- §12: capacity before the flip, scale-down delay after any switch ----

    @Test
    void theColorJustLeftStaysAtFullSizeForTheScaleDownDelayAndARollbackThenIsAnInstantFlip() throws Exception {
        baseline();
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        assertThat(replicas(Color.BLUE)).as("old color at full size during the scale-down delay").isEqualTo(2);
        assertThat(target.slot(Color.BLUE).orElseThrow().scaleDownAt()).isEqualTo(clock.instant().plusSeconds(30));

        Instant before = clock.instant();
        List<Instant> switchedAt = new ArrayList<>();
        Target watching = new Forwarding(target) {
            @Override
            public void switchTo(Color c, String id) {
                switchedAt.add(clock.instant());
                t.switchTo(c, id);
            }
        };
        Release rb = new BlueGreen(watching, tracker, cluster, log, clock, cluster)
                .rollback(RollbackConfig.toPrevious(APP, "bob"));
        assertThat(rb.color()).isEqualTo(Color.BLUE);
        assertThat(switchedAt).hasSize(1);
        assertThat(Duration.between(before, switchedAt.get(0))).as("no wait for capacity before the flip").isZero();
        assertThat(log.text()).contains("capacity: blue already at 2 ready replica(s): an instant flip");
        assertThat(replicas(Color.GREEN)).as("the color left by the rollback also stays at full size").isEqualTo(2);
        assertThat(replicas(Color.BLUE)).isEqualTo(2);
        assertThat(target.slot(Color.BLUE).orElseThrow().scaleDownAt()).as("the serving color has no deadline").isNull();

        clock.advance(Duration.ofSeconds(31));
        DeployStatus s = bg.status(APP);
        assertThat(replicas(Color.GREEN)).as("applied by the next command after the deadline").isEqualTo(1);
        assertThat(s.slots()).filteredOn(sl -> sl.color() == Color.GREEN).extracting(SlotState::desiredReplicas)
                .containsExactly(1);
        assertThat(log.text()).contains("scale-down delay over: green 2 -> 1");
    }

    @Test
    void aWarmRollbackAfterTheDelayBringsTheTargetColorToServingCapacityBeforeTheFlip() {
        baseline();
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        clock.advance(Duration.ofSeconds(31)); // blue is scaled to its warm size (1) by the next command
        List<String> atSwitch = new ArrayList<>();
        Target watching = new CapacityAtSwitch(target, atSwitch);
        BlueGreen watched = new BlueGreen(watching, tracker, cluster, log, clock, cluster);
        Release rb = watched.rollback(RollbackConfig.toPrevious(APP, "bob"));
        assertThat(rb.color()).isEqualTo(Color.BLUE);
        assertThat(atSwitch).as("ready replicas of the target color when traffic moved").containsExactly("blue 2/2");
        assertThat(log.text()).contains("capacity: blue 1 -> 2 replica(s) before the flip");
        assertTrafficOnBlueV1AndLockFree();
    }

    @Test
    void aWarmRollbackThatCannotReachCapacityLeavesTrafficWhereItIs() {
        baseline();
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        clock.advance(Duration.ofSeconds(31));
        bg.status(APP);
        assertThat(replicas(Color.BLUE)).isEqualTo(1);
        cluster.controllerOn = false; // blue can never report two ready pods
        RollbackConfig req = new RollbackConfig(APP, "previous", null, null, Duration.ofSeconds(20), null, null,
                null, null, null, null, "bob", null, null);
        assertThatThrownBy(() -> bg.rollback(req)).isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("not ready after 20 s").hasMessageContaining("traffic stays on green");
        assertThat(target.activeColor()).contains(Color.GREEN);
        assertThat(replicas(Color.BLUE)).as("back to its warm size").isEqualTo(1);
    }

    // ---- §13: the ledger keeps good releases ----

    @Test
    void failedAttemptsNeverPushSuccessfulReleasesOutOfTheLedger() {
        baseline();
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        cluster.faults.put("srv:wrong", FakeCluster.Fault.WRONG_PREDICTIONS);
        for (int i = 0; i < 7; i++) {
            assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:wrong", "9")))
                    .isInstanceOf(DeployFailedException.class);
        }
        List<Release> ledger = target.ledger().read();
        assertThat(ledger).filteredOn(r -> r.outcome() == Outcome.SUCCEEDED).extracting(Release::modelVersion)
                .containsExactly("2", "1");
        assertThat(ledger).filteredOn(r -> r.outcome() == Outcome.FAILED).as("failed attempts capped").hasSize(5);
        assertThat(ledger.get(0).outcome()).as("newest first").isEqualTo(Outcome.FAILED);

        assertThat(bg.rollback(RollbackConfig.toPrevious(APP, "bob")).modelVersion()).isEqualTo("1");
        Release toTwo = bg.rollback(new RollbackConfig(APP, "2", null, null, null, null, null, null, null, null,
                null, "bob", null, null));
        assertThat(toTwo.modelVersion()).isEqualTo("2");
    }

    /**
     * Warm flips add a ledger entry each without re-preparing a color, so after more than {@code history} of them
     * the entries that prepared the two colors would be the oldest that served. They are kept: each flip's
     * previousRelease names what the color left runs, and a rollback to the original release id still works.
     */
    @Test
    void manyWarmFlipsKeepTheEntriesTheColorsRunAndEachFlipNamesThePreviousRelease() {
        baseline();
        Release two = bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        String one = target.slot(Color.BLUE).orElseThrow().releaseId();
        for (int i = 0; i < 7; i++) {
            Color left = target.activeColor().orElseThrow();
            String leftRuns = target.slot(left).orElseThrow().releaseId();
            Release flip = bg.rollback(RollbackConfig.toPrevious(APP, "bob"));
            assertThat(flip.reason()).as("flip %d", i + 1).contains("flip to warm release");
            assertThat(flip.previousRelease()).as("flip %d: the release the color left runs", i + 1).isEqualTo(leftRuns);
            List<Release> ledger = target.ledger().read();
            assertThat(ledger).extracting(Release::id).as("after flip %d", i + 1).contains(one, two.id());
            assertThat(ledger).filteredOn(r -> r.id().equals(flip.previousRelease())).as("after flip %d", i + 1)
                    .hasSize(1);
        }
        assertThat(log.text()).doesNotContain("the ledger has no earlier release");
        List<Release> ledger = target.ledger().read();
        assertThat(ledger).filteredOn(r -> Ledger.SERVED.contains(r.outcome()))
                .as("the 5 newest that served, plus the colors' own entries").hasSize(7);
        // Seven flips: blue serves v1; the release that prepared green is still a rollback target by its id.
        assertThat(target.activeColor()).contains(Color.BLUE);
        Release toTwo = bg.rollback(new RollbackConfig(APP, two.id(), null, null, null, null, null, null, null, null,
                null, "bob", null, null));
        assertThat(toTwo.modelVersion()).isEqualTo("2");
        assertThat(toTwo.reason()).contains("flip to warm release " + two.id());
        assertThat(target.activeColor()).contains(Color.GREEN);
    }

    /**
     * A long history as a team makes it: seven versions deployed, a failed attempt after most of them, warm flips back
     * and forth in between. After every step the releases the two colors run are in the ledger and the newest
     * release names the one it replaced; at the end `rollback --to N` works for each of the last five versions.
     */
    @Test
    void afterMoreThanFiveReleasesWithFailuresAndFlipsBetweenEveryWarmTargetAndTheLastFiveVersionsStayReachable() {
        cluster.faults.put("srv:wrong", FakeCluster.Fault.WRONG_PREDICTIONS);
        List<String> ops = List.of("1", "2", "fail", "flip", "flip", "fail", "3", "flip", "fail", "flip", "4", "fail",
                "5", "flip", "flip", "fail", "flip", "6", "7", "fail", "fail", "flip", "flip");
        int step = 0;
        for (String op : ops) {
            step++;
            switch (op) {
                case "fail" -> assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:wrong", "9")))
                        .isInstanceOf(DeployFailedException.class);
                case "flip" -> assertThat(bg.rollback(RollbackConfig.toPrevious(APP, "bob")).outcome())
                        .isEqualTo(Outcome.SUCCEEDED);
                default -> assertThat(bg.deploy(KubernetesFaultTest.cfg("srv:" + op, op)).outcome())
                        .isEqualTo(Outcome.SUCCEEDED);
            }
            assertTheLedgerKnowsWhatRuns("step " + step + " (" + op + ")", step > 1);
        }
        assertThat(log.text()).doesNotContain("the ledger has no earlier release");
        for (String n : List.of("3", "4", "5", "6", "7")) {
            Release r = bg.rollback(new RollbackConfig(APP, n, null, null, null, null, null, null, null, null, null,
                    "bob", null, null));
            assertThat(r.outcome()).as("rollback --to %s", n).isEqualTo(Outcome.SUCCEEDED);
            assertThat(r.modelVersion()).isEqualTo(n);
            cluster.sleep(cluster.staleEndpoints.plusSeconds(1));
            assertThat(cluster.get(target.activeEndpoint(), "/health").modelVersion()).as("serving after --to %s", n)
                    .isEqualTo(n);
            assertTheLedgerKnowsWhatRuns("rollback --to " + n, true);
        }
    }

    /** Every color that runs has its release in the ledger; the newest that served names a release the ledger has. */
    private void assertTheLedgerKnowsWhatRuns(String when, boolean somethingServedBefore) {
        List<Release> ledger = target.ledger().read();
        List<String> ids = ledger.stream().map(Release::id).toList();
        for (Color c : Color.values()) {
            target.slot(c).filter(sl -> sl.desiredReplicas() > 0).ifPresent(sl ->
                    assertThat(ids).as("%s: the release %s runs", when, c.id()).contains(sl.releaseId()));
        }
        Release newest = ledger.stream().filter(r -> r.outcome() == Outcome.SUCCEEDED).findFirst().orElseThrow();
        if (somethingServedBefore) {
            assertThat(newest.previousRelease()).as("%s: previousRelease of %s", when, newest.id()).isNotNull();
            assertThat(ids).as("%s: the release %s replaced", when, newest.id()).contains(newest.previousRelease());
        }
    }

    @Test
    void aCorruptLedgerIsKeptAsideBeforeTheNextWriteReplacesIt() {
        baseline();
        String garbage = "[{\"id\": \"r1\", oops";
        kube.configMaps().inNamespace(NS).withName(KubeObjects.ledgerName(APP)).edit(cm -> {
            cm.getData().put(KubeObjects.LEDGER_KEY, garbage);
            return cm;
        });
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        var data = kube.configMaps().inNamespace(NS).withName(KubeObjects.ledgerName(APP)).get().getData();
        assertThat(data).hasEntrySatisfying(KubeObjects.LEDGER_KEY, v -> assertThat(v).contains("\"modelVersion\" : \"2\""));
        assertThat(data.entrySet()).filteredOn(e -> e.getKey().startsWith(KubeObjects.LEDGER_KEY + ".corrupt-"))
                .extracting(java.util.Map.Entry::getValue).containsExactly(garbage);
        assertThat(log.text()).contains("kept as " + KubeObjects.LEDGER_KEY + ".corrupt-");
    }

    // ---- §14: a model version that does not exist ----

    @Test
    void aModelVersionThatDoesNotExistIsAnInputErrorBeforeAnythingIsTouched() {
        baseline();
        tracker.strictVersions = true;
        tracker.versions.add("cancer/1");
        tracker.versions.add("cancer/2");
        log.lines.clear();
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:9", "9")))
                .isInstanceOf(InputException.class).hasMessageContaining("cancer").hasMessageContaining("9")
                .satisfies(e -> assertThat(((MlopsException) e).exitCode()).isEqualTo(2));
        assertThat(deployment(Color.GREEN)).as("no server started").isNull();
        assertThat(log.text()).as("checked before the lock").doesNotContain("lock:");
        assertThat(target.ledger().read()).hasSize(1);
    }

    /** Delegates everything; records how many replicas of the target color were ready when traffic moved. */
    static final class CapacityAtSwitch extends Forwarding {
        private final List<String> seen;

        CapacityAtSwitch(Target t, List<String> seen) {
            super(t);
            this.seen = seen;
        }

        @Override
        public void switchTo(Color c, String id) {
            SlotState s = t.slot(c).orElseThrow();
            seen.add(c.id() + " " + s.readyReplicas() + "/" + 2);
            t.switchTo(c, id);
        }
    }

    /** Switches, then "dies" on the first scale call after it (while verification would run), lock kept. */
    static final class DiesWhileVerifying extends Forwarding {
        static final class Died extends Error {
            Died() {
                super("simulated process death after the switch");
            }
        }

        private boolean switched;

        DiesWhileVerifying(Target t) {
            super(t);
        }

        @Override
        public void switchTo(Color c, String id) {
            t.switchTo(c, id);
            switched = true;
            throw new Died();
        }

        @Override
        public Lock lock() {
            Lock l = t.lock();
            return new Lock() {
                @Override public LockInfo acquire(String h, String u, Duration ttl) { return l.acquire(h, u, ttl); }
                @Override public LockInfo renew(LockInfo held, Duration ttl) { return l.renew(held, ttl); }
                @Override public void release(LockInfo held) { }
                @Override public Optional<LockInfo> current() { return l.current(); }
                @Override public Optional<LockInfo> requestAbort(String by) { return l.requestAbort(by); }
            };
        }
    }

    /** A Target that forwards every call; tests override the step they watch. */
    static class Forwarding implements Target {
        final Target t;

        Forwarding(Target t) {
            this.t = t;
        }

        @Override public String describe() { return t.describe(); }
        @Override public Lock lock() { return t.lock(); }
        @Override public Ledger ledger() { return t.ledger(); }
        @Override public Optional<Color> activeColor() { return t.activeColor(); }
        @Override public Optional<SlotState> slot(Color c) { return t.slot(c); }
        @Override public void prepare(Color c, DeployConfig cfg, Release r) { t.prepare(c, cfg, r); }
        @Override public Readiness readiness(Color c, int n) { return t.readiness(c, n); }
        @Override public java.net.URI previewEndpoint() { return t.previewEndpoint(); }
        @Override public java.net.URI activeEndpoint() { return t.activeEndpoint(); }
        @Override public void switchTo(Color c, String id) { t.switchTo(c, id); }
        @Override public void scale(Color c, int n) { t.scale(c, n); }
        @Override public void scheduleScaleDown(Color c, int n, Instant at) { t.scheduleScaleDown(c, n, at); }
        @Override public void close() { }
    }
}
