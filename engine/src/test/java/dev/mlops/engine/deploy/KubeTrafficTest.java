package dev.mlops.engine.deploy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Traffic as a real cluster moves it: a re-applied color surges (new pods starting while the old template's pods
 * still serve the old model through the preview Service), and after the switch kube-proxy keeps sending part of the
 * public traffic to the color just left for a while.
 */
@EnableKubernetesMockClient(crud = true)
class KubeTrafficTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();
    static final String NS = KubernetesFaultTest.NS;
    static final String APP = KubernetesFaultTest.APP;

    KubernetesClient client;

    KubernetesClient kube;
    FakeClock clock;
    FakeCluster cluster;
    ListLog log;
    KubernetesTarget target;
    BlueGreen bg;
    /** The versions the deployer's own probes got through the preview Service. */
    final List<String> deployerSawOnPreview = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        cluster = new FakeCluster(kube, NS, APP, clock);
        log = new ListLog();
        target = new KubernetesTarget(kube, APP, KubeSettings.of(NS), log, clock, cluster);
        ServerClient recording = new ServerClient() {
            @Override
            public Reply get(java.net.URI base, String path) {
                return seen(base, cluster.get(base, path));
            }

            @Override
            public Reply predict(java.net.URI base, List<List<Double>> rows) {
                return seen(base, cluster.predict(base, rows));
            }

            private Reply seen(java.net.URI base, Reply r) {
                if (base.equals(target.previewEndpoint())) {
                    deployerSawOnPreview.add(String.valueOf(r.modelVersion()));
                }
                return r;
            }
        };
        bg = new BlueGreen(target, new MemoryTracker(), recording, log, clock, cluster);
    }

    @AfterEach
    void tearDown() {
        kube.close();
    }

    private Deployment deployment(Color c) {
        return kube.apps().deployments().inNamespace(NS).withName(KubeObjects.deploymentName(APP, c)).get();
    }

    /** What the preview Service, the Deployment status and the pods look like at each poll of a rollout. */
    private record Seen(String previewVersion, int total, int updated, int available) {
    }

    /** Keeps the previous color at full size (warm replicas = replicas), so a rollback needs no scale-up. */
    private static DeployConfig fullyWarm(String image, String version) {
        DeployConfig c = KubernetesFaultTest.cfg(image, version);
        return new DeployConfig(c.app(), c.image(), c.modelName(), c.modelVersion(), null, c.gitSha(), 2, 2,
                c.readyTimeout(), c.smoke(), c.verifyWindow(), c.verifyInterval(), c.maxErrorRate(), c.historySize(),
                c.alias(), c.who(), c.buildUrl(), null);
    }

    @Test
    void aReappliedColorSurgesAndTheSmokeTestWaitsUntilOnlyTheNewPodsServe() {
        bg.deploy(fullyWarm("srv:1", "1"));
        bg.deploy(fullyWarm("srv:2", "2")); // blue keeps both pods of v1 warm: as many available as wanted
        cluster.startupTicks = 3; // new pods take three controller passes to start
        deployerSawOnPreview.clear();
        List<Seen> seen = new ArrayList<>();
        cluster.onSleep.add(() -> {
            Deployment blue = deployment(Color.BLUE);
            if (target.activeColor().orElseThrow() == Color.GREEN && blue.getStatus() != null) {
                ServerClient.Reply r = cluster.get(target.previewEndpoint(), "/version");
                seen.add(new Seen(r.modelVersion(), blue.getStatus().getReplicas(), blue.getStatus().getUpdatedReplicas(),
                        blue.getStatus().getAvailableReplicas()));
            }
        });

        Release r = bg.deploy(fullyWarm("srv:3", "3"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(r.color()).isEqualTo(Color.BLUE);
        // The surge: more pods than wanted, the new ones not ready, the old v1 pod answering on the preview.
        assertThat(seen).anySatisfy(s -> {
            assertThat(s.total()).isGreaterThan(2);
            assertThat(s.available()).as("the old pods alone make the wanted count").isEqualTo(2);
            assertThat(s.updated()).isPositive();
            assertThat(s.previewVersion()).isEqualTo("1");
        });
        // Smoke-testing then would have reached the v1 pods through the preview: the deployer waited for the rollout
        // (all pods updated, no surplus) and its probes met v3 only.
        assertThat(log.text()).contains("rollout: blue waiting", "rollout: blue ready (2/2 updated, 2/2 available)");
        assertThat(deployerSawOnPreview).isNotEmpty().containsOnly("3");
        assertThat(cluster.podCounts()).containsEntry("demo-blue", 2);
        assertThat(cluster.get(target.previewEndpoint(), "/version").modelVersion()).isEqualTo("3");
    }

    @Test
    void afterTheSwitchStaleEndpointsStillSendTrafficToTheOldColorAndNoneOfItFails() {
        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        cluster.staleEndpoints = Duration.ofSeconds(4);
        List<ServerClient.Reply> users = new ArrayList<>();
        List<String> colorsAfterSwitch = new ArrayList<>();
        cluster.onSleep.add(() -> {
            for (int i = 0; i < 4; i++) {
                users.add(cluster.get(target.activeEndpoint(), "/predict"));
            }
            if (target.activeColor().orElseThrow() == Color.GREEN) {
                colorsAfterSwitch.add(users.get(users.size() - 1).modelVersion());
                colorsAfterSwitch.add(users.get(users.size() - 2).modelVersion());
            }
        });
        long blueBefore = cluster.answeredByColor().getOrDefault("blue", 0L);

        Release r = bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));

        assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(colorsAfterSwitch).as("after the switch both versions answer for a while").contains("1", "2");
        assertThat(cluster.answeredByColor().get("blue")).isGreaterThan(blueBefore);
        assertThat(users).as("no user request failed through the switch").allMatch(ServerClient.Reply::ok);
        assertThat(log.text()).contains("verify passed");
        // Once the endpoints have caught up, only green answers.
        cluster.sleep(Duration.ofSeconds(5));
        for (int i = 0; i < 6; i++) {
            assertThat(cluster.get(target.activeEndpoint(), "/health").modelVersion()).isEqualTo("2");
        }
    }
}
