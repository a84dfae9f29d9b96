package dev.mlops.engine.deploy;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Plays what a real cluster would do around the deployer: the Deployment controller (status, pods) and the model
 * servers behind each Service. Behaviour is keyed by image, as in life: a broken image breaks wherever it runs.
 * The toy model labels a row "malignant" when its first feature is at least 10, else "benign".
 */
final class FakeCluster implements ServerClient, Sleeper {
    enum Fault { NEVER_READY, IMAGE_PULL, CRASH_LOOP, UNSCHEDULABLE, SERVES_OLD_VERSION, WRONG_PREDICTIONS, FAILS_UNDER_TRAFFIC }

    static final List<List<Double>> ROWS = List.of(List.of(5.0, 1.0), List.of(15.0, 2.0), List.of(8.0, 0.5));
    /** By the rule above: 5 < 10, 15 >= 10, 8 < 10. */
    static final List<String> EXPECTED = List.of("benign", "malignant", "benign");

    final KubernetesClient client;
    final String ns;
    final String app;
    final FakeClock clock;
    final Map<String, Fault> faults = new ConcurrentHashMap<>();
    /** Runs on every sleep, after the controller: lets a test act "while the deploy is waiting". */
    final List<Runnable> onSleep = new ArrayList<>();
    volatile boolean controllerOn = true;

    FakeCluster(KubernetesClient client, String ns, String app, FakeClock clock) {
        this.client = client;
        this.ns = ns;
        this.app = app;
        this.clock = clock;
    }

    @Override
    public void sleep(Duration d) {
        clock.advance(d);
        tick();
        for (Runnable r : List.copyOf(onSleep)) {
            r.run();
        }
    }

    /** One pass of the Deployment controller. */
    void tick() {
        if (!controllerOn) {
            return;
        }
        for (Color c : Color.values()) {
            String name = KubeObjects.deploymentName(app, c);
            Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
            if (d == null) {
                continue;
            }
            int n = d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
            Fault f = faults.get(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
            boolean broken = n > 0 && f != null && f.ordinal() <= Fault.UNSCHEDULABLE.ordinal();
            long gen = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
            client.apps().deployments().inNamespace(ns).withName(name).editStatus(x -> {
                x.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                        .withObservedGeneration(gen).withReplicas(n).withUpdatedReplicas(n)
                        .withAvailableReplicas(broken ? 0 : n).withReadyReplicas(broken ? 0 : n).build());
                return x;
            });
            if (broken && f != Fault.NEVER_READY) {
                createFailingPod(d, f);
            }
        }
    }

    private void createFailingPod(Deployment d, Fault f) {
        String release = d.getSpec().getTemplate().getMetadata().getLabels().get(KubeObjects.RELEASE);
        String pod = d.getMetadata().getName() + "-" + release.substring(release.length() - 4) + "-x1";
        if (client.pods().inNamespace(ns).withName(pod).get() != null) {
            return;
        }
        PodBuilder b = new PodBuilder().withNewMetadata().withName(pod).withNamespace(ns)
                .withLabels(d.getSpec().getTemplate().getMetadata().getLabels()).endMetadata()
                .withNewSpec().addNewContainer().withName(KubeObjects.CONTAINER).withImage("x").endContainer().endSpec();
        switch (f) {
            case IMAGE_PULL -> b.withNewStatus().withPhase("Pending").addNewContainerStatus().withName(KubeObjects.CONTAINER)
                    .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"registry.example/srv:missing\"").endWaiting().endState()
                    .endContainerStatus().endStatus();
            case CRASH_LOOP -> b.withNewStatus().withPhase("Running").addNewContainerStatus().withName(KubeObjects.CONTAINER)
                    .withRestartCount(4).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                    .withMessage("back-off 40s restarting failed container").endWaiting().endState()
                    .endContainerStatus().endStatus();
            case UNSCHEDULABLE -> b.withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
                    .withStatus("False").withReason("Unschedulable")
                    .withMessage("0/3 nodes are available: 3 Insufficient memory.").endCondition().endStatus();
            default -> throw new IllegalArgumentException(f.name());
        }
        client.pods().inNamespace(ns).resource(b.build()).create();
    }

    // ---- the model servers behind the Services ----

    private record Backend(Deployment d, Fault fault, boolean viaActive) {
    }

    private Backend backend(URI base) {
        String svcName = base.getHost().substring(0, base.getHost().indexOf('.'));
        Service svc = client.services().inNamespace(ns).withName(svcName).get();
        if (svc == null) {
            return null;
        }
        Color c = Color.parse(svc.getSpec().getSelector().get(KubeObjects.COLOR)).orElseThrow();
        Deployment d = client.apps().deployments().inNamespace(ns).withName(KubeObjects.deploymentName(app, c)).get();
        if (d == null || d.getStatus() == null || d.getStatus().getAvailableReplicas() == null
                || d.getStatus().getAvailableReplicas() == 0) {
            return null;
        }
        return new Backend(d, faults.get(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()),
                svcName.equals(KubeObjects.activeService(app)));
    }

    private static String version(Backend b) {
        return b.fault == Fault.SERVES_OLD_VERSION ? "0-old" : b.d.getMetadata().getAnnotations().get(KubeObjects.A_MODEL_VERSION);
    }

    @Override
    public Reply get(URI base, String path) {
        Backend b = backend(base);
        if (b == null) {
            return new Reply(-1, null, null, null, 0, "connection refused: no ready endpoints");
        }
        int status = b.fault == Fault.FAILS_UNDER_TRAFFIC && b.viaActive ? 500 : 200;
        return new Reply(status, version(b), "abc123", null, 800, status == 200 ? null : "internal error");
    }

    @Override
    public Reply predict(URI base, List<List<Double>> rows) {
        Backend b = backend(base);
        if (b == null) {
            return new Reply(-1, null, null, null, 0, "connection refused: no ready endpoints");
        }
        if (b.fault == Fault.FAILS_UNDER_TRAFFIC && b.viaActive) {
            return new Reply(500, version(b), "abc123", null, 900, "internal error");
        }
        List<String> p = rows.stream().map(r -> (r.get(0) >= 10) != (b.fault == Fault.WRONG_PREDICTIONS)
                ? "malignant" : "benign").toList();
        return new Reply(200, version(b), "abc123", p, 1500, null);
    }
}
