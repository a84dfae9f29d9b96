package dev.mlops.engine.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;
import dev.mlops.engine.Redactor;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Blue and green as two Deployments behind a public Service ({@code <app>}) and a preview Service
 * ({@code <app>-preview}); the ledger is a ConfigMap and the lock a coordination.k8s.io Lease. Every write is a
 * create, a JSON Patch (re-applying a Deployment), a JSON merge patch (selectors, scale, ledger) or, for the Lease, an
 * update with its resourceVersion; never strategic merge or server-side apply. The verbs used are exactly those
 * granted by k8s/rbac.yaml (KubeManifestsTest records them). Every operation reaches the cluster through
 * {@link #kube}, which keeps credentials an API server echoes out of exceptions; the log is redacted too.
 */
public final class KubernetesTarget implements Target {
    /** Waiting reasons after which a pod will not become ready without a human. */
    static final Set<String> HOPELESS = Set.of("ImagePullBackOff", "ErrImagePull", "InvalidImageName",
            "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "ErrImageNeverPull");
    static final int SWITCH_ATTEMPTS = 5;

    private final KubernetesClient client;
    private final String app;
    private final KubeSettings settings;
    private final Log log;
    private final Redactor redactor;
    private final Clock clock;
    private final Sleeper sleeper;
    private final KubeLedger ledger = new KubeLedger();
    private final KubeLock lock = new KubeLock();

    public KubernetesTarget(KubernetesClient client, String app, KubeSettings settings, Log log, Clock clock,
                            Sleeper sleeper) {
        this.client = client;
        this.app = app;
        this.settings = settings;
        this.redactor = KubeRedaction.redactor(client, log);
        this.log = redactor.log(log);
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public String describe() {
        return "namespace " + settings.namespace() + " at " + client.getMasterUrl();
    }

    @Override
    public Lock lock() {
        return lock;
    }

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public Optional<Color> activeColor() {
        return kube(() -> clusterActiveColor());
    }

    private Optional<Color> clusterActiveColor() {
        Service svc = services().withName(KubeObjects.activeService(app)).get();
        if (svc == null || svc.getSpec() == null || svc.getSpec().getSelector() == null) {
            return Optional.empty();
        }
        return Color.parse(svc.getSpec().getSelector().get(KubeObjects.COLOR));
    }

    @Override
    public Optional<SlotState> slot(Color color) {
        return kube(() -> clusterSlot(color));
    }

    private Optional<SlotState> clusterSlot(Color color) {
        Deployment d = deployments().withName(KubeObjects.deploymentName(app, color)).get();
        if (d == null) {
            return Optional.empty();
        }
        Map<String, String> ann = d.getMetadata().getAnnotations() == null ? Map.of() : d.getMetadata().getAnnotations();
        String image = d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
        DeploymentStatus st = d.getStatus();
        int available = st == null || st.getAvailableReplicas() == null ? 0 : st.getAvailableReplicas();
        return Optional.of(new SlotState(color, ann.get(KubeObjects.A_RELEASE), image, ann.get(KubeObjects.A_MODEL_NAME),
                ann.get(KubeObjects.A_MODEL_VERSION), nz(d.getSpec().getReplicas()), available));
    }

    @Override
    public void prepare(Color color, DeployConfig cfg, Release release) {
        kube(() -> clusterPrepare(color, cfg, release));
    }

    private void clusterPrepare(Color color, DeployConfig cfg, Release release) {
        Deployment desired = KubeObjects.deployment(app, color, cfg, release.id(), settings);
        String name = desired.getMetadata().getName();
        if (deployments().withName(name).get() == null) {
            deployments().resource(desired).create();
        } else {
            deployments().withName(name).patch(PatchContext.of(PatchType.JSON), applyPatch(desired));
        }
        String preview = KubeObjects.previewService(app);
        Service svc = services().withName(preview).get();
        if (svc == null) {
            services().resource(KubeObjects.service(app, preview, color, release.id(), settings)).create();
        } else {
            services().withName(preview).patch(PatchContext.of(PatchType.JSON_MERGE), selectorPatch(color, release.id(), null));
        }
    }

    /**
     * One JSON Patch (RFC 6902): our labels and annotations key by key (others' keys, such as the controller's revision
     * annotation, stay) and the whole spec replaced, so removed env entries or containers really go away. A JSON merge
     * patch would do the same on a real API server, but the fabric8 mock merges lists, which hid image changes.
     */
    private String applyPatch(Deployment desired) {
        List<Map<String, Object>> ops = new java.util.ArrayList<>();
        desired.getMetadata().getLabels().forEach((k, v) -> ops.add(op("/metadata/labels/" + escape(k), v)));
        desired.getMetadata().getAnnotations().forEach((k, v) -> ops.add(op("/metadata/annotations/" + escape(k), v)));
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("op", "replace");
        spec.put("path", "/spec");
        spec.put("value", desired.getSpec());
        ops.add(spec);
        return client.getKubernetesSerialization().asJson(ops);
    }

    private static Map<String, Object> op(String path, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", "add");
        m.put("path", path);
        m.put("value", value);
        return m;
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    @Override
    public Readiness readiness(Color color, int minAvailable) {
        return kube(() -> clusterReadiness(color, minAvailable));
    }

    private Readiness clusterReadiness(Color color, int minAvailable) {
        Deployment d = deployments().withName(KubeObjects.deploymentName(app, color)).get();
        if (d == null) {
            return Readiness.pending("Deployment " + KubeObjects.deploymentName(app, color) + " not found");
        }
        int want = nz(d.getSpec().getReplicas());
        long generation = d.getMetadata().getGeneration() == null ? 0 : d.getMetadata().getGeneration();
        DeploymentStatus st = d.getStatus();
        long observed = st == null || st.getObservedGeneration() == null ? -1 : st.getObservedGeneration();
        int updated = st == null ? 0 : nz(st.getUpdatedReplicas());
        int available = st == null ? 0 : nz(st.getAvailableReplicas());
        int total = st == null ? 0 : nz(st.getReplicas());
        String detail = updated + "/" + want + " updated, " + available + "/" + want + " available";
        if (observed >= generation && updated >= want && available >= Math.min(minAvailable, want) && total <= want
                && available >= 1) {
            return Readiness.ready(detail);
        }
        String release = d.getSpec().getTemplate().getMetadata().getLabels().get(KubeObjects.RELEASE);
        List<Pod> pods = client.pods().inNamespace(settings.namespace())
                .withLabels(Map.of(KubeObjects.APP, app, KubeObjects.COLOR, color.id())).list().getItems();
        for (Pod p : pods) {
            Map<String, String> labels = p.getMetadata().getLabels();
            if (labels == null || !release.equals(labels.get(KubeObjects.RELEASE)) || p.getStatus() == null) {
                continue;
            }
            String why = hopeless(p);
            if (why != null) {
                return Readiness.hopeless("pod " + p.getMetadata().getName() + ": " + why);
            }
        }
        return Readiness.pending(observed < generation ? "waiting for the controller to observe generation "
                + generation + "; " + detail : detail);
    }

    private static String hopeless(Pod p) {
        List<ContainerStatus> cs = p.getStatus().getContainerStatuses();
        if (cs != null) {
            for (ContainerStatus c : cs) {
                if (c.getState() != null && c.getState().getWaiting() != null
                        && HOPELESS.contains(c.getState().getWaiting().getReason())) {
                    String msg = c.getState().getWaiting().getMessage();
                    return c.getState().getWaiting().getReason() + (msg == null ? "" : ": " + msg);
                }
            }
        }
        List<PodCondition> conds = p.getStatus().getConditions();
        if (conds != null) {
            for (PodCondition c : conds) {
                if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())
                        && "Unschedulable".equals(c.getReason())) {
                    return "failed scheduling: " + c.getMessage();
                }
            }
        }
        return null;
    }

    @Override
    public URI previewEndpoint() {
        return URI.create(settings.endpoint(KubeObjects.previewService(app)));
    }

    @Override
    public URI activeEndpoint() {
        return URI.create(settings.endpoint(KubeObjects.activeService(app)));
    }

    /**
     * One merge patch of the public Service's selector, carrying the resourceVersion just read so a concurrent change
     * is a 409 instead of a lost update. On 409 or a 5xx the Service is read again and, unless it already selects
     * {@code color}, patched again (bounded attempts with a short back-off).
     */
    @Override
    public void switchTo(Color color, String releaseId) {
        kube(() -> clusterSwitchTo(color, releaseId));
    }

    private void clusterSwitchTo(Color color, String releaseId) {
        String name = KubeObjects.activeService(app);
        KubernetesClientException last = null;
        for (int attempt = 1; attempt <= SWITCH_ATTEMPTS; attempt++) {
            try {
                Service svc = services().withName(name).get();
                if (svc == null) {
                    services().resource(KubeObjects.service(app, name, color, releaseId, settings)).create();
                    return;
                }
                Map<String, String> sel = svc.getSpec().getSelector();
                if (sel != null && color.id().equals(sel.get(KubeObjects.COLOR)) && attempt > 1) {
                    return; // an earlier attempt landed although its answer was lost
                }
                services().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                        selectorPatch(color, releaseId, svc.getMetadata().getResourceVersion()));
                return;
            } catch (KubernetesClientException e) {
                int code = e.getCode();
                if (code != 409 && code != 0 && code < 500) {
                    throw new InfraException("switch of Service " + name + " to " + color.id() + " refused: HTTP "
                            + code + " " + redactor.redact(e.getStatus().getMessage()), KubeRedaction.clean(e, redactor));
                }
                last = e;
                log.warn("switch attempt " + attempt + " of " + SWITCH_ATTEMPTS + " failed (HTTP " + code
                        + (code == 409 ? ", conflict" : "") + "); reading the Service again");
                sleeper.sleep(Duration.ofMillis(200L * attempt));
            }
        }
        throw new InfraException("could not switch Service " + name + " to " + color.id() + " after " + SWITCH_ATTEMPTS
                + " attempts: HTTP " + last.getCode(), KubeRedaction.clean(last, redactor));
    }

    private String selectorPatch(Color color, String releaseId, String resourceVersion) {
        Map<String, Object> meta = new LinkedHashMap<>();
        if (resourceVersion != null) {
            meta.put("resourceVersion", resourceVersion);
        }
        Map<String, Object> ann = new LinkedHashMap<>();
        ann.put(KubeObjects.A_RELEASE, releaseId);
        meta.put("annotations", ann);
        return json(Map.of("metadata", meta, "spec", Map.of("selector", Map.of(KubeObjects.COLOR, color.id()))));
    }

    @Override
    public void scale(Color color, int replicas) {
        kube(() -> clusterScale(color, replicas));
    }

    private void clusterScale(Color color, int replicas) {
        String name = KubeObjects.deploymentName(app, color);
        if (deployments().withName(name).get() != null) {
            deployments().withName(name).patch(PatchContext.of(PatchType.JSON_MERGE),
                    json(Map.of("spec", Map.of("replicas", replicas))));
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private io.fabric8.kubernetes.client.dsl.MixedOperation<Deployment, io.fabric8.kubernetes.api.model.apps.DeploymentList,
            io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment>> deploymentsOp() {
        return client.apps().deployments();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Deployment, io.fabric8.kubernetes.api.model.apps.DeploymentList,
            io.fabric8.kubernetes.client.dsl.RollableScalableResource<Deployment>> deployments() {
        return deploymentsOp().inNamespace(settings.namespace());
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Service, io.fabric8.kubernetes.api.model.ServiceList,
            io.fabric8.kubernetes.client.dsl.ServiceResource<Service>> services() {
        return client.services().inNamespace(settings.namespace());
    }

    /**
     * Runs one call of this target's against the cluster: an exception leaves it with every credential redacted
     * (KubeRedaction), whatever the API server echoed, and refused credentials (401, 403) as an input error naming
     * the server and the identity method (KubeRefusal). Each public operation goes through here.
     */
    private <T> T kube(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (RuntimeException e) {
            throw KubeRefusal.classify(KubeRedaction.clean(e, redactor), client.getConfiguration(), redactor);
        }
    }

    private void kube(Runnable call) {
        kube(() -> {
            call.run();
            return null;
        });
    }

    private static int nz(Integer i) {
        return i == null ? 0 : i;
    }

    private static String json(Object o) {
        return Json.write(o);
    }

    /** The ledger as JSON under one key of the ConfigMap {@code <app>-releases}. */
    private final class KubeLedger implements Ledger {
        @Override
        public List<Release> read() {
            return kube(() -> clusterRead());
        }

        private List<Release> clusterRead() {
            ConfigMap cm = client.configMaps().inNamespace(settings.namespace()).withName(KubeObjects.ledgerName(app)).get();
            if (cm == null || cm.getData() == null || cm.getData().get(KubeObjects.LEDGER_KEY) == null) {
                return List.of();
            }
            try {
                List<Release> r = Json.MAPPER.readValue(cm.getData().get(KubeObjects.LEDGER_KEY), new TypeReference<>() {
                });
                if (r.stream().anyMatch(x -> x == null || x.id() == null || x.color() == null || x.outcome() == null)) {
                    throw new IOException("an entry lacks id, color or outcome");
                }
                return r;
            } catch (IOException e) {
                log.warn("ledger " + describe() + " is corrupt (" + firstLine(e.getMessage())
                        + "); starting a new history, the next write replaces it");
                return List.of();
            }
        }

        @Override
        public void write(List<Release> releases) {
            kube(() -> clusterWrite(releases));
        }

        private void clusterWrite(List<Release> releases) {
            String json = json(releases);
            var op = client.configMaps().inNamespace(settings.namespace());
            if (op.withName(KubeObjects.ledgerName(app)).get() == null) {
                op.resource(KubeObjects.ledger(app, json, settings)).create();
            } else {
                op.withName(KubeObjects.ledgerName(app)).patch(PatchContext.of(PatchType.JSON_MERGE),
                        json(Map.of("data", Map.of(KubeObjects.LEDGER_KEY, json))));
            }
        }

        @Override
        public String describe() {
            return "ConfigMap " + settings.namespace() + "/" + KubeObjects.ledgerName(app);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** A Lease named {@code <app>-deploy-lock}: holderIdentity "who#token", renewTime + leaseDurationSeconds = expiry. */
    private final class KubeLock implements Lock {
        private String name() {
            return KubeObjects.leaseName(app);
        }

        private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<Lease, io.fabric8.kubernetes.api.model.coordination.v1.LeaseList,
                io.fabric8.kubernetes.client.dsl.Resource<Lease>> leases() {
            return client.leases().inNamespace(settings.namespace());
        }

        @Override
        public LockInfo acquire(String holder, String buildUrl, Duration ttl) {
            return kube(() -> clusterAcquire(holder, buildUrl, ttl));
        }

        private LockInfo clusterAcquire(String holder, String buildUrl, Duration ttl) {
            String token = UUID.randomUUID().toString().substring(0, 8);
            Instant now = clock.instant();
            Lease existing = leases().withName(name()).get();
            Lease mine = lease(existing, holder, buildUrl, token, now, now, ttl);
            try {
                if (existing == null) {
                    leases().resource(mine).create();
                } else {
                    Optional<LockInfo> cur = info(existing);
                    if (cur.isPresent() && cur.get().expiresAt().isAfter(now)) {
                        throw held(cur.get());
                    }
                    cur.ifPresent(c -> log.warn("taking over the expired deploy lock of " + c.describe()));
                    leases().resource(mine).update(); // carries the resourceVersion read above: 409 if someone won
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() == 409) {
                    Lease winner = leases().withName(name()).get();
                    throw info(winner).map(this::held).orElseGet(() ->
                            new InfraException("deploy lock for " + app + " changed while taking it; try again"));
                }
                throw new InfraException("cannot take the deploy lock Lease " + name() + ": "
                        + redactor.redact(e.getMessage()), KubeRedaction.clean(e, redactor));
            }
            return new LockInfo(holder, buildUrl, token, now, now.plus(ttl));
        }

        private InfraException held(LockInfo c) {
            return new InfraException("another deploy of " + app + " is running: the lock is held by " + c.describe()
                    + " (Lease " + settings.namespace() + "/" + name() + ")");
        }

        @Override
        public LockInfo renew(LockInfo held, Duration ttl) {
            return kube(() -> clusterRenew(held, ttl));
        }

        private LockInfo clusterRenew(LockInfo held, Duration ttl) {
            Lease l = leases().withName(name()).get();
            Optional<LockInfo> cur = info(l);
            if (cur.isEmpty() || !cur.get().token().equals(held.token())) {
                throw new InfraException("the deploy lock of " + app + " was taken over"
                        + cur.map(c -> " by " + c.describe()).orElse(""));
            }
            Instant now = clock.instant();
            leases().resource(lease(l, held.holder(), held.buildUrl(), held.token(), held.acquiredAt(), now, ttl)).update();
            return new LockInfo(held.holder(), held.buildUrl(), held.token(), held.acquiredAt(), now.plus(ttl));
        }

        @Override
        public void release(LockInfo held) {
            kube(() -> clusterRelease(held));
        }

        private void clusterRelease(LockInfo held) {
            Lease l = leases().withName(name()).get();
            if (info(l).map(c -> c.token().equals(held.token())).orElse(false)) {
                leases().withName(name()).delete();
            }
        }

        @Override
        public Optional<LockInfo> current() {
            return kube(() -> clusterCurrent());
        }

        private Optional<LockInfo> clusterCurrent() {
            return info(leases().withName(name()).get()).filter(c -> c.expiresAt().isAfter(clock.instant()));
        }

        private Optional<LockInfo> info(Lease l) {
            if (l == null || l.getSpec() == null || l.getSpec().getHolderIdentity() == null
                    || l.getSpec().getHolderIdentity().isBlank()) {
                return Optional.empty();
            }
            String id = l.getSpec().getHolderIdentity();
            int hash = id.lastIndexOf('#');
            Map<String, String> ann = l.getMetadata().getAnnotations() == null ? Map.of() : l.getMetadata().getAnnotations();
            ZonedDateTime renew = l.getSpec().getRenewTime() != null ? l.getSpec().getRenewTime() : l.getSpec().getAcquireTime();
            Instant renewed = renew == null ? Instant.EPOCH : renew.toInstant();
            int secs = l.getSpec().getLeaseDurationSeconds() == null ? 0 : l.getSpec().getLeaseDurationSeconds();
            Instant acquired = l.getSpec().getAcquireTime() == null ? renewed : l.getSpec().getAcquireTime().toInstant();
            return Optional.of(new LockInfo(ann.getOrDefault(KubeObjects.A_HOLDER, hash < 0 ? id : id.substring(0, hash)),
                    ann.get(KubeObjects.A_BUILD_URL), hash < 0 ? "" : id.substring(hash + 1), acquired,
                    renewed.plusSeconds(secs)));
        }

        private Lease lease(Lease base, String holder, String buildUrl, String token, Instant acquired, Instant renewed,
                            Duration ttl) {
            LeaseBuilder b = base == null ? new LeaseBuilder() : new LeaseBuilder(base);
            return b.editOrNewMetadata().withName(name()).withNamespace(settings.namespace())
                        .addToLabels(KubeObjects.APP, app).addToLabels(KubeObjects.MANAGED_BY, "mlops")
                        .addToAnnotations(KubeObjects.A_HOLDER, holder)
                        .addToAnnotations(KubeObjects.A_BUILD_URL, buildUrl == null ? "" : buildUrl).endMetadata()
                    .editOrNewSpec().withHolderIdentity(holder + "#" + token)
                        .withAcquireTime(ZonedDateTime.ofInstant(acquired, ZoneOffset.UTC))
                        .withRenewTime(ZonedDateTime.ofInstant(renewed, ZoneOffset.UTC))
                        .withLeaseDurationSeconds((int) Math.max(1, ttl.toSeconds())).endSpec()
                    .build();
        }
    }
}
