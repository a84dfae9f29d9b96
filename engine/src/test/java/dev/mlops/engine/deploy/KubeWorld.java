package dev.mlops.engine.deploy;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.time.Instant;

/** One deployer against the mock API server, with {@link FakeCluster} playing the controllers and servers. */
final class KubeWorld {
    static final String NS = "ml";
    static final String APP = "demo";

    final KubernetesClient kube;
    final FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
    final FakeCluster cluster;
    final ListLog log = new ListLog();
    final MemoryTracker tracker = new MemoryTracker();
    final KubernetesTarget target;
    final BlueGreen bg;

    /** {@code mock}: the client the mock-server extension injects. */
    KubeWorld(KubernetesClient mock) {
        // fabric8 would retry 5xx answers itself; the deployer retries with a fresh read, so the client must not.
        kube = new KubernetesClientBuilder().withConfig(new ConfigBuilder(mock.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        cluster = new FakeCluster(kube, NS, APP, clock);
        target = new KubernetesTarget(kube, APP, KubeSettings.of(NS), log, clock, cluster);
        bg = new BlueGreen(target, tracker, cluster, log, clock, cluster);
    }
}
