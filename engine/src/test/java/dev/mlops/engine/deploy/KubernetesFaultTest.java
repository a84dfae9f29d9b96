package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Blue-green on the fabric8 mock API server (CRUD mode); {@link FakeCluster} plays the Deployment controller and the
 * model servers. After every fault the public Service must select a healthy color, the ledger must be consistent
 * and the lock released.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesFaultTest {
    /** The mock logs every request at INFO through java.util.logging; keep a reference so the level sticks. */
    static final java.util.logging.Logger MOCK_LOG = quiet();

    static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    static final String NS = "ml";
    static final String APP = "demo";

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
        // fabric8 would retry 5xx answers itself; the deployer retries with a fresh read, so the client must not.
        kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        cluster = new FakeCluster(kube, NS, APP, clock);
        log = new ListLog();
        tracker = new MemoryTracker();
        target = new KubernetesTarget(kube, APP, KubeSettings.of(NS), log, clock, cluster);
        bg = new BlueGreen(target, tracker, cluster, log, clock, cluster);
    }

    @AfterEach
    void tearDown() {
        kube.close();
    }

    static DeployConfig cfg(String image, String version) {
        return new DeployConfig(APP, image, "cancer", version, null, "sha" + version, 2, 1, Duration.ofSeconds(60),
                new SmokeSpec(FakeCluster.ROWS, FakeCluster.EXPECTED, null, null, Duration.ofSeconds(10)),
                Duration.ofSeconds(6), Duration.ofSeconds(2), 0.0, 5, "production", "alice", "https://ci/job/7", null);
    }

    private Deployment deployment(Color c) {
        return kube.apps().deployments().inNamespace(NS).withName(KubeObjects.deploymentName(APP, c)).get();
    }

    /** The three promises kept after every fault. */
    private void assertSafe(Color active, String servingVersion) {
        assertThat(target.activeColor()).contains(active);
        assertThat(deployment(active).getSpec().getReplicas()).isPositive();
        ServerClient.Reply health = cluster.get(target.activeEndpoint(), "/health");
        assertThat(health.ok()).as("public endpoint healthy").isTrue();
        assertThat(health.modelVersion()).isEqualTo(servingVersion);

        ListLog readLog = new ListLog();
        List<Release> ledger = new KubernetesTarget(kube, APP, KubeSettings.of(NS), readLog, clock, cluster).ledger().read();
        assertThat(readLog.lines).as("ledger parses").isEmpty();
        assertThat(ledger).extracting(Release::outcome).doesNotContain(Outcome.IN_PROGRESS);
        String serving = target.slot(active).orElseThrow().releaseId();
        assertThat(ledger).filteredOn(r -> r.id().equals(serving)).extracting(Release::outcome)
                .containsExactly(Outcome.SUCCEEDED);

        assertThat(kube.leases().inNamespace(NS).withName(KubeObjects.leaseName(APP)).get()).as("lock released").isNull();
    }

    private void assertFailedBeforeSwitch(Runnable deploy, String... reasonParts) {
        assertThatThrownBy(deploy::run).isInstanceOf(DeployFailedException.class).satisfies(e -> {
            for (String part : reasonParts) {
                assertThat(e.getMessage()).contains(part);
            }
            assertThat(((DeployFailedException) e).release().outcome()).isEqualTo(Outcome.FAILED);
        });
        assertThat(deployment(Color.GREEN).getSpec().getReplicas()).as("idle color scaled to zero").isZero();
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(tracker.alias("cancer", "production")).as("alias not moved").isEqualTo("1");
        assertSafe(Color.BLUE, "1");
    }

    private Release baseline() {
        Release r = bg.deploy(cfg("srv:1", "1"));
        assertThat(r.color()).isEqualTo(Color.BLUE);
        return r;
    }

    private List<RecordedRequest> drainRequests() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    private static List<RecordedRequest> writes(List<RecordedRequest> all) {
        return all.stream().filter(r -> !r.getMethod().equals("GET")).toList();
    }

    @Test
    void firstDeployCreatesEverythingOnBlueThenTheNextGoesGreenAndKeepsBlueWarm() {
        Release first = baseline();
        assertThat(first.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(first.previousRelease()).isNull();
        assertThat(tracker.alias("cancer", "production")).isEqualTo("1");
        assertSafe(Color.BLUE, "1");

        Release second = bg.deploy(cfg("srv:2", "2"));
        assertThat(second.color()).isEqualTo(Color.GREEN);
        assertThat(second.previousRelease()).isEqualTo(first.id());
        assertThat(deployment(Color.BLUE).getSpec().getReplicas()).as("old color kept warm").isEqualTo(1);
        assertThat(deployment(Color.GREEN).getSpec().getReplicas()).isEqualTo(2);
        assertThat(tracker.alias("cancer", "production")).isEqualTo("2");
        assertThat(target.ledger().read()).extracting(Release::modelVersion).containsExactly("2", "1");
        assertSafe(Color.GREEN, "2");

        // The generated pod template carries the labels, probes and drain time the issue asks for.
        Deployment g = deployment(Color.GREEN);
        var pod = g.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", APP).containsEntry("color", "green")
                .containsEntry("release", second.id());
        assertThat(pod.getSpec().getContainers().get(0).getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(pod.getSpec().getContainers().get(0).getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(pod.getSpec().getTerminationGracePeriodSeconds()).isEqualTo(30L);
        assertThat(log.text()).contains("switch: traffic blue -> green", "keep warm: blue at 1 replica(s)",
                "registry: alias production of cancer -> v2");
    }

    @Test
    void theSwitchIsOneWriteAndAWarmRollbackIsOneWriteBeforeTrafficMoves() throws Exception {
        baseline();
        AtomicReference<Integer> writesBeforeSwitch = new AtomicReference<>();
        drainRequests();
        bg.deploy(cfg("srv:2", "2"));
        List<RecordedRequest> deployReqs = drainRequests();
        List<RecordedRequest> svcWrites = writes(deployReqs).stream()
                .filter(r -> r.getPath().startsWith("/api/v1/namespaces/ml/services/demo?")
                        || r.getPath().equals("/api/v1/namespaces/ml/services/demo")).toList();
        assertThat(svcWrites).as("the switch").hasSize(1);
        writesBeforeSwitch.set(svcWrites.size());

        Release rb = bg.rollback(RollbackConfig.toPrevious(APP, "bob"));
        List<RecordedRequest> rbReqs = drainRequests();
        assertThat(rb.kind()).isEqualTo("rollback");
        assertThat(rb.color()).isEqualTo(Color.BLUE);
        assertThat(rb.modelVersion()).isEqualTo("1");
        assertThat(log.text()).contains("(warm, release");
        // Traffic moves with one write: the public Service patch; nothing else touches a Deployment before it.
        List<RecordedRequest> rbWrites = writes(rbReqs);
        int flipAt = -1;
        for (int i = 0; i < rbWrites.size(); i++) {
            if (rbWrites.get(i).getPath().startsWith("/api/v1/namespaces/ml/services/demo")) {
                flipAt = i;
                break;
            }
        }
        assertThat(flipAt).isGreaterThanOrEqualTo(0);
        assertThat(rbWrites.subList(0, flipAt)).extracting(RecordedRequest::getPath)
                .allMatch(p -> p.contains("/leases"), "only the lock is taken before the flip");
        assertThat(rbWrites).filteredOn(r -> r.getPath().startsWith("/api/v1/namespaces/ml/services/demo")).hasSize(1);

        assertThat(tracker.alias("cancer", "production")).as("alias moved back").isEqualTo("1");
        List<Release> ledger = target.ledger().read();
        assertThat(ledger.get(0).id()).isEqualTo(rb.id());
        assertThat(ledger).filteredOn(r -> r.modelVersion().equals("2")).extracting(Release::outcome)
                .containsExactly(Outcome.ROLLED_BACK);
        assertThat(deployment(Color.BLUE).getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment(Color.GREEN).getSpec().getReplicas()).isEqualTo(1);
        assertSafe(Color.BLUE, "1");

        // Rolling back the rollback returns to v2, again by a flip.
        Release again = bg.rollback(RollbackConfig.toPrevious(APP, "bob"));
        assertThat(again.modelVersion()).isEqualTo("2");
        assertThat(target.activeColor()).contains(Color.GREEN);
    }

    @Test
    void rollbackToAnOlderVersionThatIsNotWarmRedeploysIt() {
        baseline();
        bg.deploy(cfg("srv:2", "2"));
        bg.deploy(cfg("srv:3", "3")); // blue now runs v3, green v2 warm; v1 is only in the ledger
        Release rb = bg.rollback(new RollbackConfig(APP, "1", null, null, Duration.ofSeconds(60), null, null, null,
                null, null, "production", "bob", null, null));
        assertThat(rb.modelVersion()).isEqualTo("1");
        assertThat(rb.image()).isEqualTo("srv:1");
        assertThat(rb.color()).isEqualTo(Color.GREEN);
        assertThat(log.text()).contains("is not running warm on green; redeploying it blue-green");
        // Re-applying an existing color really replaces its pod template (image, model argument), not just its
        // annotations.
        var container = deployment(Color.GREEN).getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("srv:1");
        assertThat(container.getArgs()).containsSubsequence("--model", "models:/cancer/1").doesNotContain("models:/cancer/2");
        assertThat(tracker.alias("cancer", "production")).isEqualTo("1");
        assertSafe(Color.GREEN, "1");
    }

    @Test
    void greenNeverBecomesReadyTimesOut() {
        baseline();
        cluster.faults.put("srv:slow", FakeCluster.Fault.NEVER_READY);
        assertFailedBeforeSwitch(() -> bg.deploy(cfg("srv:slow", "2")), "not ready after 60 s", "0/2 available");
    }

    @Test
    void imagePullFailureFailsFastWithThePodsReason() {
        baseline();
        cluster.faults.put("srv:missing", FakeCluster.Fault.IMAGE_PULL);
        Instant start = clock.instant();
        assertFailedBeforeSwitch(() -> bg.deploy(cfg("srv:missing", "2")), "ImagePullBackOff",
                "Back-off pulling image", "pod demo-green-");
        assertThat(Duration.between(start, clock.instant())).as("no wait for the timeout").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void crashLoopFailsWithThePodsReason() {
        baseline();
        cluster.faults.put("srv:crash", FakeCluster.Fault.CRASH_LOOP);
        assertFailedBeforeSwitch(() -> bg.deploy(cfg("srv:crash", "2")), "CrashLoopBackOff");
    }

    @Test
    void unschedulablePodFailsWithTheSchedulersMessage() {
        baseline();
        cluster.faults.put("srv:huge", FakeCluster.Fault.UNSCHEDULABLE);
        assertFailedBeforeSwitch(() -> bg.deploy(cfg("srv:huge", "2")), "failed scheduling", "Insufficient memory");
    }

    @Test
    void smokeTestCatchesTheWrongServedVersion() {
        baseline();
        cluster.faults.put("srv:stale", FakeCluster.Fault.SERVES_OLD_VERSION);
        assertFailedBeforeSwitch(() -> bg.deploy(cfg("srv:stale", "2")), "served model_version 0-old, expected 2");
    }

    @Test
    void smokeTestCatchesBadPredictions() {
        baseline();
        cluster.faults.put("srv:wrong", FakeCluster.Fault.WRONG_PREDICTIONS);
        assertFailedBeforeSwitch(() -> bg.deploy(cfg("srv:wrong", "2")),
                "agree on 0 of 3 sample rows", "row 1: predicted malignant, expected benign");
    }

    @Test
    void failedVerificationAfterTheSwitchSwitchesStraightBack() {
        baseline();
        cluster.faults.put("srv:flaky", FakeCluster.Fault.FAILS_UNDER_TRAFFIC);
        assertThatThrownBy(() -> bg.deploy(cfg("srv:flaky", "2"))).isInstanceOf(DeployFailedException.class)
                .hasMessageContaining("verify:").hasMessageContaining("traffic is back on blue");
        assertThat(log.text()).contains("switch: traffic on green", "switching straight back to blue");
        assertThat(deployment(Color.GREEN).getSpec().getReplicas()).isZero();
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(tracker.alias("cancer", "production")).isEqualTo("1");
        assertSafe(Color.BLUE, "1");
    }

    // The mock's CRUD dispatcher has no fault switch, but it consults recorded expectations first. An expectation
    // answering the selector PATCH once with 500 (or 409) is a real HTTP error seen by the real client, which is more
    // honest than wrapping the client in a fake. The next PATCH falls through to the CRUD store.
    @Test
    void serverErrorOnTheSelectorPatchIsRetriedWithAFreshRead() {
        baseline();
        server.expect().patch().withPath("/api/v1/namespaces/ml/services/demo")
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("etcdserver: request timed out").build())
                .once();
        Release r = bg.deploy(cfg("srv:2", "2"));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(log.text()).contains("switch attempt 1 of 5 failed (HTTP 500)");
        assertSafe(Color.GREEN, "2");
    }

    @Test
    void conflictOnTheSelectorPatchIsRetriedWithAFreshRead() {
        baseline();
        server.expect().patch().withPath("/api/v1/namespaces/ml/services/demo")
                .andReturn(409, new StatusBuilder().withCode(409).withReason("Conflict")
                        .withMessage("Operation cannot be fulfilled on services \"demo\": the object has been modified")
                        .build())
                .once();
        Release r = bg.deploy(cfg("srv:2", "2"));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(log.text()).contains("switch attempt 1 of 5 failed (HTTP 409, conflict)");
        assertSafe(Color.GREEN, "2");
    }

    @Test
    void selectorPatchThatKeepsFailingLeavesTrafficOnTheOldColor() {
        baseline();
        server.expect().patch().withPath("/api/v1/namespaces/ml/services/demo")
                .andReturn(500, new StatusBuilder().withCode(500).withMessage("down").build()).times(5);
        assertThatThrownBy(() -> bg.deploy(cfg("srv:2", "2"))).isInstanceOf(InfraException.class)
                .hasMessageContaining("after 5 attempts");
        assertThat(deployment(Color.GREEN).getSpec().getReplicas()).as("idle color scaled to zero").isZero();
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.FAILED);
        assertThat(target.ledger().read().get(0).reason()).contains("switch failed, traffic stays on blue");
        assertSafe(Color.BLUE, "1");
    }

    @Test
    void twoDeploysAtOnceOneWinsTheOtherFailsNamingTheHolder() {
        baseline();
        BlueGreen other = new BlueGreen(new KubernetesTarget(kube, APP, KubeSettings.of(NS), new ListLog(), clock, cluster),
                tracker, cluster, new ListLog(), clock, cluster);
        AtomicReference<Throwable> loser = new AtomicReference<>();
        cluster.onSleep.add(() -> {
            if (loser.get() == null) {
                DeployConfig c = new DeployConfig(APP, "srv:3", "cancer", "3", null, null, 2, 1, null, null, null,
                        null, null, null, null, "bob", "https://ci/job/8", null);
                try {
                    other.deploy(c);
                    loser.set(new AssertionError("second deploy should have failed"));
                } catch (Throwable t) {
                    loser.set(t);
                }
            }
        });
        Release winner = bg.deploy(cfg("srv:2", "2"));
        assertThat(winner.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(loser.get()).isInstanceOf(InfraException.class)
                .hasMessageContaining("another deploy of demo is running")
                .hasMessageContaining("held by alice (https://ci/job/7)");
        assertThat(target.ledger().read()).extracting(Release::modelVersion).doesNotContain("3");
        assertSafe(Color.GREEN, "2");
    }

    @Test
    void aLongRolloutRenewsTheLockSoNobodyCanTakeItOver() {
        baseline();
        cluster.faults.put("srv:slow", FakeCluster.Fault.NEVER_READY);
        Instant start = clock.instant();
        AtomicReference<Throwable> intruder = new AtomicReference<>();
        KubernetesTarget other = new KubernetesTarget(kube, APP, KubeSettings.of(NS), new ListLog(), clock, cluster);
        cluster.onSleep.add(() -> {
            Duration t = Duration.between(start, clock.instant());
            if (t.compareTo(Duration.ofSeconds(40)) >= 0) {
                cluster.faults.remove("srv:slow"); // the pods finally come up
            }
            if (t.compareTo(Duration.ofSeconds(30)) >= 0 && intruder.get() == null) {
                try {
                    other.lock().acquire("mallory", null, Duration.ofSeconds(10));
                    intruder.set(new AssertionError("lock was free while the deploy was still running"));
                } catch (InfraException e) {
                    intruder.set(e);
                }
            }
        });
        DeployConfig c = new DeployConfig(APP, "srv:slow", "cancer", "2", null, null, 2, 1, Duration.ofSeconds(60),
                new SmokeSpec(FakeCluster.ROWS, FakeCluster.EXPECTED, null, null, null), Duration.ofSeconds(2),
                Duration.ofSeconds(1), null, null, null, "alice", "https://ci/job/7", Duration.ofSeconds(10));
        assertThat(bg.deploy(c).outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(intruder.get()).isInstanceOf(InfraException.class).hasMessageContaining("held by alice");
        assertSafe(Color.GREEN, "2");
    }

    @Test
    void aRunThatDiedAfterApplyingGreenIsCleanedUpByTheNextRun() {
        baseline();
        // What a killed process leaves behind: green applied, an IN_PROGRESS ledger entry, the Lease still held.
        Target dying = new DyingTarget(target);
        BlueGreen doomed = new BlueGreen(dying, tracker, cluster, log, clock, cluster);
        assertThatThrownBy(() -> doomed.deploy(cfg("srv:2", "2"))).isInstanceOf(DyingTarget.Died.class);
        assertThat(target.ledger().read().get(0).outcome()).isEqualTo(Outcome.IN_PROGRESS);
        assertThat(kube.leases().inNamespace(NS).withName(KubeObjects.leaseName(APP)).get()).isNotNull();
        assertThat(target.activeColor()).contains(Color.BLUE);

        // Before the lease expires a new run is refused; after it, the run takes over, cleans up and proceeds.
        assertThatThrownBy(() -> bg.deploy(cfg("srv:3", "3"))).hasMessageContaining("held by alice");
        clock.advance(Duration.ofSeconds(91));
        Release r = bg.deploy(cfg("srv:3", "3"));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(log.text()).contains("taking over the expired deploy lock of alice",
                "found unfinished release", "the run died before the switch");
        assertThat(target.ledger().read()).extracting(Release::modelVersion, Release::outcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("3", Outcome.SUCCEEDED),
                        org.assertj.core.groups.Tuple.tuple("2", Outcome.INTERRUPTED),
                        org.assertj.core.groups.Tuple.tuple("1", Outcome.SUCCEEDED));
        assertSafe(Color.GREEN, "3");
    }

    @Test
    void corruptLedgerIsReportedAndReplaced() {
        baseline();
        kube.configMaps().inNamespace(NS).withName(KubeObjects.ledgerName(APP))
                .edit(cm -> {
                    cm.getData().put(KubeObjects.LEDGER_KEY, "[{\"id\": \"r1\", oops");
                    return cm;
                });
        Release r = bg.deploy(cfg("srv:2", "2"));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(log.text()).contains("ledger ConfigMap ml/demo-releases is corrupt");
        assertThat(target.ledger().read()).extracting(Release::id).containsExactly(r.id());
        assertSafe(Color.GREEN, "2");
    }

    @Test
    void missingLedgerStillAllowsDeployAndAWarmRollback() {
        baseline();
        bg.deploy(cfg("srv:2", "2"));
        kube.configMaps().inNamespace(NS).withName(KubeObjects.ledgerName(APP)).delete();
        Release rb = bg.rollback(RollbackConfig.toPrevious(APP, "bob"));
        assertThat(rb.modelVersion()).isEqualTo("1");
        assertThat(log.text()).contains("using what the warm color runs");
        assertThat(target.activeColor()).contains(Color.BLUE);
        kube.configMaps().inNamespace(NS).withName(KubeObjects.ledgerName(APP)).delete();
        Release r = bg.deploy(cfg("srv:3", "3"));
        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertSafe(Color.GREEN, "3");
    }

    @Test
    void rollbackWithNothingDeployedIsAnInputError() {
        assertThatThrownBy(() -> bg.rollback(RollbackConfig.toPrevious(APP, "bob")))
                .isInstanceOf(InputException.class).hasMessageContaining("nothing is deployed for app demo");
        assertThat(kube.leases().inNamespace(NS).withName(KubeObjects.leaseName(APP)).get()).isNull();
    }

    @Test
    void statusShowsColorsVersionsAndLedger() {
        baseline();
        bg.deploy(cfg("srv:2", "2"));
        DeployStatus s = bg.status(APP);
        assertThat(s.active()).isEqualTo(Color.GREEN);
        assertThat(s.slots()).extracting(SlotState::color, SlotState::modelVersion, SlotState::desiredReplicas)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(Color.BLUE, "1", 1),
                        org.assertj.core.groups.Tuple.tuple(Color.GREEN, "2", 2));
        assertThat(s.releases()).hasSize(2);
        assertThat(s.lock()).isNull();
    }

    /** Delegates everything, but "dies" at the switch and never releases its lock, like a killed process. */
    static final class DyingTarget implements Target {
        static final class Died extends Error {
            Died() {
                super("simulated process death");
            }
        }

        private final Target t;

        DyingTarget(Target t) {
            this.t = t;
        }

        @Override public String describe() { return t.describe(); }
        @Override public Ledger ledger() { return t.ledger(); }
        @Override public Optional<Color> activeColor() { return t.activeColor(); }
        @Override public Optional<SlotState> slot(Color c) { return t.slot(c); }
        @Override public void prepare(Color c, DeployConfig cfg, Release r) { t.prepare(c, cfg, r); }
        @Override public Readiness readiness(Color c, int n) { return t.readiness(c, n); }
        @Override public java.net.URI previewEndpoint() { return t.previewEndpoint(); }
        @Override public java.net.URI activeEndpoint() { return t.activeEndpoint(); }
        @Override public void switchTo(Color c, String id) { throw new Died(); }
        @Override public void scale(Color c, int n) { t.scale(c, n); }
        @Override public void close() { }

        @Override
        public Lock lock() {
            Lock l = t.lock();
            return new Lock() {
                @Override public LockInfo acquire(String h, String u, Duration ttl) { return l.acquire(h, u, ttl); }
                @Override public LockInfo renew(LockInfo held, Duration ttl) { return l.renew(held, ttl); }
                @Override public void release(LockInfo held) { }
                @Override public Optional<LockInfo> current() { return l.current(); }
            };
        }
    }
}
