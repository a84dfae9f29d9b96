package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.Secret;
import dev.mlops.engine.api.DeployRequest;
import dev.mlops.engine.api.Engine;
import dev.mlops.engine.api.EngineContext;
import dev.mlops.engine.api.ReleaseResult;
import dev.mlops.engine.api.RollbackRequest;
import dev.mlops.engine.api.StatusRequest;
import dev.mlops.engine.api.StatusResult;
import dev.mlops.engine.api.StopRequest;
import dev.mlops.engine.tracking.RunRef;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.tracking.TrackingCredentials;
import dev.mlops.engine.tracking.Trackers;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine's release operations on Kubernetes, reached the way a front end reaches them: a spec, an API server URL
 * and a token in the context (the fabric8 mock API server in CRUD mode; {@link FakeCluster} plays the controllers and
 * the model servers, and its sleeper moves a fake clock, so waiting costs no wall time). Here rather than in the api
 * package because the cluster fakes live in this one.
 */
@EnableKubernetesMockClient(crud = true)
class EngineKubernetesTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();

    KubernetesClient client;

    @TempDir
    Path dir;

    FakeClock clock;
    ListLog log;

    @BeforeEach
    void setUp() throws Exception {
        clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        log = new ListLog();
        Files.writeString(dir.resolve("smoke.csv"), "x0,x1,label\n5,1,benign\n15,2,malignant\n8,0.5,benign\n");
        Files.writeString(dir.resolve("mlops.yaml"), """
                name: demo
                data: {path: data.csv, target: label}
                tracking: {uri: mlruns, registeredModel: cancer}
                deploy:
                  target: kubernetes
                  namespace: ml
                  stagingNamespace: ml-staging
                  image: srv
                  smokeSamples: smoke.csv
                """);
        // two registered versions, so aliases really move
        try (Tracker t = Trackers.open(dir.resolve("mlruns").toString(), dir, TrackingCredentials.NONE,
                dev.mlops.engine.tracking.Timeouts.DEFAULTS, log)) {
            RunRef run = t.startRun("demo", "r", Map.of());
            t.createModelVersion("cancer", run.runId(), "model", Map.of());
            t.createModelVersion("cancer", run.runId(), "model", Map.of());
        }
    }

    private Engine engine(String namespace) {
        FakeCluster cluster = new FakeCluster(client, namespace, "demo", clock);
        return new Engine(EngineContext.of(dir, log).withClock(clock).withSleeper(cluster).withServerClient(cluster)
                .withKubeToken(Secret.of("kube-t0ken"))
                .withCi(Map.of("GIT_COMMIT", "abc", "BUILD_USER_ID", "alice", "BUILD_URL", "https://ci/job/7/")));
    }

    private <R extends dev.mlops.engine.api.TargetRequest<R>> R onCluster(R req) {
        return req.withSpec("mlops.yaml").withApiServer(client.getConfiguration().getMasterUrl())
                .withInsecureSkipTlsVerify(true);
    }

    private String alias(String name) {
        try (Tracker t = Trackers.open(dir.resolve("mlruns").toString(), dir, TrackingCredentials.NONE,
                dev.mlops.engine.tracking.Timeouts.DEFAULTS, log)) {
            return t.findByAlias("cancer", name).map(v -> v.version()).orElse(null);
        }
    }

    private long verifyRounds() {
        String last = log.lines.stream().filter(l -> l.startsWith("verify: ") && l.contains("round(s)"))
                .reduce((a, b) -> b).orElseThrow();
        return Long.parseLong(last.substring("verify: ".length(), last.indexOf(' ', "verify: ".length())));
    }

    @Test
    void aRollbackVerifiesOneRoundNotTheDeploysThirtySecondWindow() throws Exception {
        Engine e = engine("ml");
        Instant t0 = clock.instant();
        ReleaseResult v1 = e.deploy(onCluster(new DeployRequest("1")));
        assertThat(v1.exitCode()).as(log.text()).isZero();
        assertThat(verifyRounds()).as("deploy: deploy.verifySeconds default 30 s at 2 s").isEqualTo(15);
        assertThat(Duration.between(t0, clock.instant())).isGreaterThanOrEqualTo(Duration.ofSeconds(28));
        assertThat(v1.release().image()).as("deploy.image tagged with the git SHA").isEqualTo("srv:abc");
        assertThat(v1.release().who()).isEqualTo("alice");
        assertThat(v1.release().buildUrl()).isEqualTo("https://ci/job/7/");
        assertThat(v1.trafficOn()).isEqualTo("blue");
        assertThat(alias("production")).isEqualTo("1");
        assertThat(e.deploy(onCluster(new DeployRequest("2").withImage("srv:2"))).exitCode()).isZero();
        assertThat(alias("production")).isEqualTo("2");

        Instant before = clock.instant();
        ReleaseResult back = e.rollback(onCluster(new RollbackRequest()));

        assertThat(back.exitCode()).as(log.text()).isZero();
        assertThat(verifyRounds()).isEqualTo(1);
        assertThat(Duration.between(before, clock.instant())).as("no verify window waited").isLessThan(Duration.ofSeconds(2));
        assertThat(back.release().kind()).isEqualTo("rollback");
        assertThat(back.release().modelVersion()).isEqualTo("1");
        assertThat(back.trafficOn()).isEqualTo("blue");
        assertThat(alias("production")).as("the alias follows traffic back").isEqualTo("1");
        assertThat(Json.MAPPER.readValue(Json.write(back), ReleaseResult.class)).isEqualTo(back);

        // the spec key sets the rollback's own window
        before = clock.instant();
        ReleaseResult forward = e.rollback(onCluster(new RollbackRequest())
                .withOverrides(List.of("deploy.rollbackVerifySeconds=6")));
        assertThat(forward.exitCode()).isZero();
        assertThat(verifyRounds()).isEqualTo(3);
        assertThat(Duration.between(before, clock.instant())).isEqualTo(Duration.ofSeconds(4));
        assertThat(forward.release().modelVersion()).isEqualTo("2");
    }

    @Test
    void aRefusedDeployIsAResultWithExitOneAndTrafficStaysOnTheHealthyColor() throws Exception {
        Engine e = engine("ml");
        assertThat(e.deploy(onCluster(new DeployRequest("1"))).exitCode()).isZero();
        FakeCluster faults = new FakeCluster(client, "ml", "demo", clock);
        Engine broken = new Engine(e.context().withSleeper(faults).withServerClient(faults));
        faults.faults.put("srv:bad", FakeCluster.Fault.WRONG_PREDICTIONS);

        ReleaseResult r = broken.deploy(onCluster(new DeployRequest("2").withImage("srv:bad")));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.release().outcome()).isEqualTo("FAILED");
        assertThat(r.release().reason()).contains("smoke test");
        assertThat(r.trafficOn()).isEqualTo("blue");
        assertThat(alias("production")).isEqualTo("1");

        StatusResult s = e.status(onCluster(new StatusRequest()));
        assertThat(s.active()).isEqualTo("blue");
        assertThat(s.environment()).isEqualTo("production");
        assertThat(s.target()).contains("namespace ml");
        assertThat(s.endpoint().reachable()).isTrue();
        assertThat(s.endpoint().modelVersion()).isEqualTo("1");
        assertThat(s.lock()).isNull();
        assertThat(s.releases()).extracting(rel -> rel.outcome()).containsExactly("FAILED", "SUCCEEDED");
        assertThat(s.slots()).extracting(StatusResult.Slot::color).contains("blue");
        assertThat(Json.MAPPER.readValue(Json.write(s), StatusResult.class)).isEqualTo(s);
    }

    @Test
    void stagingDeploysToItsOwnNamespaceAndMovesTheStagingAlias() {
        ReleaseResult r = engine("ml-staging").deploy(onCluster(new DeployRequest("1").withEnvironment("staging")
                .withVerifyWindow(Duration.ZERO)));

        assertThat(r.exitCode()).as(log.text()).isZero();
        assertThat(r.target()).contains("namespace ml-staging");
        assertThat(r.release().environment()).isEqualTo("staging");
        assertThat(client.apps().deployments().inNamespace("ml-staging").withName("demo-blue").get()).isNotNull();
        assertThat(client.apps().deployments().inNamespace("ml").list().getItems()).isEmpty();
        assertThat(alias("staging")).isEqualTo("1");
        assertThat(alias("production")).isNull();

        assertThatThrownBy(() -> engine("ml").deploy(onCluster(new DeployRequest("1").withEnvironment("staging"))
                .withOverrides(List.of("deploy.stagingNamespace=ml"))))
                .isInstanceOf(InputException.class).hasMessageContaining("needs its own namespace");
    }

    @Test
    void clusterAccessComesFromTheContextNeverTheEnvironment() {
        Engine noToken = new Engine(EngineContext.of(dir, log).withLocalRuntime(null));
        assertThatThrownBy(() -> noToken.status(onCluster(new StatusRequest())))
                .isInstanceOf(InputException.class).hasMessageContaining("needs a Kubernetes token");
        assertThatThrownBy(() -> noToken.status(new StatusRequest().withSpec("mlops.yaml").withInCluster(true)))
                .isInstanceOf(InputException.class).hasMessageContaining("KUBERNETES_SERVICE_HOST is not set");
        if (!Files.exists(KubeAccess.SERVICE_ACCOUNT.resolve("token"))) {
            Engine inPod = new Engine(EngineContext.of(dir, log).withCi(Map.of("KUBERNETES_SERVICE_HOST", "10.0.0.1")));
            assertThatThrownBy(() -> inPod.status(new StatusRequest().withSpec("mlops.yaml").withInCluster(true)))
                    .isInstanceOf(InputException.class).hasMessageContaining("service-account token");
        }
        Engine home = new Engine(EngineContext.of(dir, log).withCi(Map.of("HOME", dir.toString())));
        assertThatThrownBy(() -> home.status(new StatusRequest().withSpec("mlops.yaml")))
                .isInstanceOf(InputException.class).hasMessageContaining(dir.resolve(".kube/config").toString());
        assertThatThrownBy(() -> engine("ml").stop(onCluster(new StopRequest())))
                .isInstanceOf(InputException.class).hasMessageContaining("stop is for the local target");
    }
}
