package dev.mlops.engine.deploy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Plays what a real cluster does around the deployer: the Deployment controller (a ReplicaSet per pod template, a
 * rolling update with maxSurge 25% and maxUnavailable 0, status from the pods' readiness), the kubelet (through a
 * {@link PodRuntime}: simulated pods here, real processes in PodRunTest) and kube-proxy (Services route to the ready
 * pods they select; after a selector change the old endpoints keep receiving every other request for
 * {@link #staleEndpoints}).
 *
 * <p>Simulated pods become ready {@link #startupTicks} controller passes after they are created, so a re-applied color
 * goes through a surge phase: new pods not ready yet while the old template's pods still serve (the old model
 * version). Their behaviour is keyed by image, as in life: a broken image breaks wherever it runs. The toy model
 * labels a row "malignant" when its first feature is at least 10, else "benign".
 */
public final class FakeCluster implements ServerClient, Sleeper {
    public enum Fault { NEVER_READY, IMAGE_PULL, CRASH_LOOP, UNSCHEDULABLE, SERVES_OLD_VERSION, WRONG_PREDICTIONS, FAILS_UNDER_TRAFFIC }

    /** Runs the containers of a pod; the controller asks it for readiness on every pass. */
    public interface PodRuntime {
        /** Starts pod {@code name} from the Deployment's template; a pod that cannot run says why in its status. */
        PodHandle start(String name, Deployment d);
    }

    /** One running pod as the kubelet sees it. */
    public interface PodHandle {
        /** Called once per controller pass (probes, restarts). */
        default void tick() {
        }

        /** The readiness probe's verdict as of the last pass. */
        boolean ready();

        /** What the API server shows for this pod (phase, container states, conditions). */
        PodStatus status();

        /** An HTTP GET reaching this pod through a Service; {@code viaActive}: through the public one. */
        Reply get(String path, boolean viaActive);

        Reply predict(List<List<Double>> rows, boolean viaActive);

        /** Deletion: SIGTERM, drain, gone. */
        void stop();

        /** Where the pod listens ({@code http://<pod IP>:<container port>}), for a pod that really runs; else null. */
        default URI address() {
            return null;
        }
    }

    public static final List<List<Double>> ROWS = List.of(List.of(5.0, 1.0), List.of(15.0, 2.0), List.of(8.0, 0.5));
    /** By the rule above: 5 < 10, 15 >= 10, 8 < 10. */
    public static final List<String> EXPECTED = List.of("benign", "malignant", "benign");

    final KubernetesClient client;
    final String ns;
    final String app;
    final Clock clock;
    private final FakeClock fakeClock;
    private final PodRuntime runtime;
    public final Map<String, Fault> faults = new ConcurrentHashMap<>();
    /** Runs on every sleep, after the controller: lets a test act "while the deploy is waiting". */
    public final List<Runnable> onSleep = new ArrayList<>();
    public volatile boolean controllerOn = true;
    /** Controller passes before a simulated pod turns ready (0: at once, no surge phase). */
    public volatile int startupTicks = 1;
    /**
     * How long kube-proxy keeps sending every other request of a Service to the pods it selected before a selector
     * change (zero: endpoints follow at once). Off by default: a warm rollback verifies with one round of probes,
     * which stale endpoints can send to the color just left (see KubeTrafficTest).
     */
    public volatile Duration staleEndpoints = Duration.ZERO;
    /**
     * The Services whose endpoints lag: the public one by default (the switch). The preview Service lags in a real
     * cluster too, but there the new pods' start-up (seconds for a JVM) outlasts the lag.
     */
    public final java.util.Set<String> laggingServices = ConcurrentHashMap.newKeySet();

    private final Map<String, List<PodRecord>> pods = new ConcurrentHashMap<>();
    private final Map<String, Endpoints> endpoints = new ConcurrentHashMap<>();
    private final Map<String, Long> answeredByColor = new ConcurrentHashMap<>();
    private final AtomicLong podSeq = new AtomicLong();
    private final AtomicLong requestSeq = new AtomicLong();

    FakeCluster(KubernetesClient client, String ns, String app, FakeClock clock) {
        this(client, ns, app, clock, null);
    }

    /** {@code runtime} null: simulated pods whose behaviour follows {@link #faults}. */
    public FakeCluster(KubernetesClient client, String ns, String app, Clock clock, PodRuntime runtime) {
        this.client = client;
        this.ns = ns;
        this.app = app;
        this.clock = clock;
        this.fakeClock = clock instanceof FakeClock f ? f : null;
        this.runtime = runtime != null ? runtime : this::simulated;
        laggingServices.add(KubeObjects.activeService(app));
    }

    /** One pod: its template hash, color, the model version its template announces, and the runtime's handle. */
    private record PodRecord(String name, String hash, Color color, Map<String, String> labels, PodHandle handle,
                             PodStatus[] shown) {
    }

    /** What a Service's kube-proxy rules point at: the selector now, and the one before it until {@code staleUntil}. */
    private record Endpoints(Map<String, String> selector, Map<String, String> previous, Instant staleUntil) {
    }

    @Override
    public void sleep(Duration d) {
        if (fakeClock != null) {
            fakeClock.advance(d);
        } else {
            Sleeper.REAL.sleep(d);
        }
        tick();
        for (Runnable r : List.copyOf(onSleep)) {
            r.run();
        }
    }

    /** One pass of the Deployment controller and the kubelets; safe to call from a background thread. */
    public synchronized void tick() {
        if (!controllerOn) {
            return;
        }
        for (Color c : Color.values()) {
            String name = KubeObjects.deploymentName(app, c);
            Deployment d = client.apps().deployments().inNamespace(ns).withName(name).get();
            List<PodRecord> mine = pods.computeIfAbsent(name, k -> new ArrayList<>());
            if (d == null) {
                mine.forEach(this::delete);
                mine.clear();
                continue;
            }
            reconcile(d, c, mine);
        }
        observeServices();
    }

    /** A rolling update: surge new pods, delete old ones only while as many pods as wanted stay available. */
    private void reconcile(Deployment d, Color c, List<PodRecord> mine) {
        int want = d.getSpec().getReplicas() == null ? 0 : d.getSpec().getReplicas();
        int surge = want == 0 ? 0 : Math.max(1, (int) Math.ceil(want * 0.25));
        String hash = templateHash(d);
        mine.forEach(p -> p.handle.tick());
        List<PodRecord> updated = mine.stream().filter(p -> p.hash.equals(hash)).toList();
        int created = 0;
        while (updated.size() + created < want && mine.size() + created < want + surge) {
            created++;
        }
        for (int i = 0; i < created; i++) {
            // <replica set>-<5 random characters>, as the ReplicaSet controller names pods: unique even when a test
            // runs two of these fakes over one API server.
            String podName = d.getMetadata().getName() + "-" + hash.substring(0, 8) + "-" + podSeq.incrementAndGet()
                    + Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36 * 36), 36);
            PodRecord p = new PodRecord(podName, hash, c, d.getSpec().getTemplate().getMetadata().getLabels(),
                    runtime.start(podName, d), new PodStatus[1]);
            p.handle.tick();
            mine.add(p);
        }
        // Old pods that are not ready go at once; ready ones while the rest keeps `want` available.
        for (PodRecord p : List.copyOf(mine)) {
            if (!p.hash.equals(hash) && (!p.handle.ready() || available(mine) - 1 >= want)) {
                delete(p);
                mine.remove(p);
            }
        }
        // Scaling down: the pods that are not ready go first.
        List<PodRecord> current = new ArrayList<>(mine.stream().filter(p -> p.hash.equals(hash)).toList());
        current.sort((a, b) -> Boolean.compare(a.handle.ready(), b.handle.ready()));
        while (current.size() > want) {
            PodRecord p = current.remove(0);
            delete(p);
            mine.remove(p);
        }
        for (PodRecord p : mine) {
            show(p);
        }
        int upd = (int) mine.stream().filter(p -> p.hash.equals(hash)).count();
        int avail = available(mine);
        long gen = d.getMetadata().getGeneration() == null ? 1 : d.getMetadata().getGeneration();
        int total = mine.size();
        client.apps().deployments().inNamespace(ns).withName(d.getMetadata().getName()).editStatus(x -> {
            x.setStatus(new DeploymentStatusBuilder().withObservedGeneration(gen).withReplicas(total)
                    .withUpdatedReplicas(upd).withAvailableReplicas(avail).withReadyReplicas(avail).build());
            return x;
        });
    }

    private static int available(List<PodRecord> pods) {
        return (int) pods.stream().filter(p -> p.handle.ready()).count();
    }

    /** Like the pod-template-hash label of a ReplicaSet: any change to the template makes new pods. */
    private String templateHash(Deployment d) {
        try {
            byte[] json = client.getKubernetesSerialization().asJson(d.getSpec().getTemplate())
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json)).substring(0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates or updates the Pod object when what the kubelet reports changed. */
    private void show(PodRecord p) {
        PodStatus st = p.handle.status();
        if (st.equals(p.shown[0])) {
            return;
        }
        var pods = client.pods().inNamespace(ns);
        if (p.shown[0] == null) {
            pods.resource(new PodBuilder().withNewMetadata().withName(p.name).withNamespace(ns)
                    .withLabels(p.labels).endMetadata()
                    .withNewSpec().addNewContainer().withName(KubeObjects.CONTAINER).withImage("x").endContainer()
                    .endSpec().build()).create();
        }
        pods.withName(p.name).editStatus(x -> {
            x.setStatus(st);
            return x;
        });
        p.shown[0] = st;
    }

    private void delete(PodRecord p) {
        p.handle.stop();
        client.pods().inNamespace(ns).withName(p.name).delete();
    }

    /** Every pod the controller runs now, by Deployment name. */
    public synchronized Map<String, Integer> podCounts() {
        Map<String, Integer> m = new LinkedHashMap<>();
        pods.forEach((k, v) -> m.put(k, v.size()));
        return m;
    }

    /** Requests each color answered through a Service (stale endpoints included). */
    public Map<String, Long> answeredByColor() {
        return Map.copyOf(answeredByColor);
    }

    // ---- kube-proxy ----

    private void observeServices() {
        for (String svc : List.of(KubeObjects.activeService(app), KubeObjects.previewService(app))) {
            Service s = client.services().inNamespace(ns).withName(svc).get();
            if (s == null || s.getSpec() == null || s.getSpec().getSelector() == null) {
                endpoints.remove(svc);
                continue;
            }
            Map<String, String> sel = Map.copyOf(s.getSpec().getSelector());
            Duration lag = laggingServices.contains(svc) ? staleEndpoints : Duration.ZERO;
            endpoints.compute(svc, (k, e) -> e == null ? new Endpoints(sel, null, Instant.MIN)
                    : e.selector.equals(sel) ? e : new Endpoints(sel, e.selector, clock.instant().plus(lag)));
        }
    }

    /** A ready pod behind {@code service}: while endpoints are stale, every other request goes to the old ones. */
    public synchronized Optional<PodHandle> route(String service) {
        observeServices();
        Endpoints e = endpoints.get(service);
        if (e == null) {
            return Optional.empty();
        }
        long n = requestSeq.incrementAndGet();
        boolean stale = e.previous != null && clock.instant().isBefore(e.staleUntil) && n % 2 == 0;
        // A stale rule pointing at pods that are gone is a refused connection, as with a real kube-proxy.
        List<PodRecord> ready = readyPods(stale ? e.previous : e.selector);
        if (ready.isEmpty()) {
            return Optional.empty();
        }
        PodRecord p = ready.get((int) (n % ready.size()));
        answeredByColor.merge(p.color.id(), 1L, Long::sum);
        return Optional.of(p.handle);
    }

    private List<PodRecord> readyPods(Map<String, String> selector) {
        List<PodRecord> out = new ArrayList<>();
        for (List<PodRecord> list : pods.values()) {
            for (PodRecord p : list) {
                if (p.handle.ready() && p.labels.entrySet().containsAll(selector.entrySet())) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private static final Reply REFUSED = new Reply(-1, null, null, null, 0, "connection refused: no ready endpoints");

    private Optional<PodHandle> backend(URI base) {
        return route(base.getHost().substring(0, base.getHost().indexOf('.')));
    }

    private boolean viaActive(URI base) {
        return base.getHost().startsWith(KubeObjects.activeService(app) + ".");
    }

    @Override
    public Reply get(URI base, String path) {
        return backend(base).map(p -> p.get(path, viaActive(base))).orElse(REFUSED);
    }

    @Override
    public Reply predict(URI base, List<List<Double>> rows) {
        return backend(base).map(p -> p.predict(rows, viaActive(base))).orElse(REFUSED);
    }

    // ---- simulated pods ----

    private PodHandle simulated(String name, Deployment d) {
        String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        String version = d.getSpec().getTemplate().getMetadata().getAnnotations().get(KubeObjects.A_MODEL_VERSION);
        return new SimPod(image, version);
    }

    private final class SimPod implements PodHandle {
        private final String image;
        private final String version;
        private int ticks;

        SimPod(String image, String version) {
            this.image = image;
            this.version = version;
        }

        private Fault fault() {
            return faults.get(image);
        }

        private boolean broken() {
            Fault f = fault();
            return f != null && f.ordinal() <= Fault.UNSCHEDULABLE.ordinal();
        }

        @Override
        public void tick() {
            ticks++;
        }

        @Override
        public boolean ready() {
            return !broken() && ticks > startupTicks;
        }

        @Override
        public PodStatus status() {
            Fault f = fault();
            PodStatusBuilder b = new PodStatusBuilder();
            if (f == Fault.IMAGE_PULL) {
                return b.withPhase("Pending").addNewContainerStatus().withName(KubeObjects.CONTAINER)
                        .withNewState().withNewWaiting().withReason("ImagePullBackOff")
                        .withMessage("Back-off pulling image \"registry.example/srv:missing\"").endWaiting().endState()
                        .endContainerStatus().build();
            }
            if (f == Fault.CRASH_LOOP) {
                return b.withPhase("Running").addNewContainerStatus().withName(KubeObjects.CONTAINER)
                        .withRestartCount(4).withNewState().withNewWaiting().withReason("CrashLoopBackOff")
                        .withMessage("back-off 40s restarting failed container").endWaiting().endState()
                        .endContainerStatus().build();
            }
            if (f == Fault.UNSCHEDULABLE) {
                return b.withPhase("Pending").addNewCondition().withType("PodScheduled").withStatus("False")
                        .withReason("Unschedulable").withMessage("0/3 nodes are available: 3 Insufficient memory.")
                        .endCondition().build();
            }
            return b.withPhase("Running").addNewCondition().withType("Ready").withStatus(ready() ? "True" : "False")
                    .endCondition().build();
        }

        private String served() {
            return fault() == Fault.SERVES_OLD_VERSION ? "0-old" : version;
        }

        @Override
        public Reply get(String path, boolean viaActive) {
            int status = fault() == Fault.FAILS_UNDER_TRAFFIC && viaActive ? 500 : 200;
            return new Reply(status, served(), "abc123", null, 800, status == 200 ? null : "internal error");
        }

        @Override
        public Reply predict(List<List<Double>> rows, boolean viaActive) {
            if (fault() == Fault.FAILS_UNDER_TRAFFIC && viaActive) {
                return new Reply(500, served(), "abc123", null, 900, "internal error");
            }
            List<String> p = rows.stream().map(r -> (r.get(0) >= 10) != (fault() == Fault.WRONG_PREDICTIONS)
                    ? "malignant" : "benign").toList();
            return new Reply(200, served(), "abc123", p, 1500, null);
        }

        @Override
        public void stop() {
        }
    }
}
