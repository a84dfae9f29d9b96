package dev.mlops.engine.deploy;

import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.spec.SpecLoader;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The files in k8s/ and the objects the engine writes must agree, and the Role must grant exactly what it uses. */
@EnableKubernetesMockClient(crud = true)
class KubeManifestsTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();
    static final Path K8S = Path.of("..", "k8s");
    static final Map<String, String> VARS = Map.of("${APP}", "demo", "${NAMESPACE}", "ml", "${IMAGE}", "srv:1",
            "${MODEL_NAME}", "cancer", "${MODEL_VERSION}", "1", "${MODEL_REF}", "models:/cancer/1",
            "${GIT_SHA}", "sha1", "${RELEASE}", "r1", "${TRACKING_SECRET}", KubeSettings.DEFAULT_TRACKING_SECRET);

    KubernetesClient client;
    KubernetesMockServer server;

    private List<HasMetadata> load(String file) throws IOException {
        String text = Files.readString(K8S.resolve(file), StandardCharsets.UTF_8);
        for (Map.Entry<String, String> e : VARS.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        assertThat(text).as(file + " has no unknown placeholder").doesNotContain("${");
        return client.load(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8))).items();
    }

    private static DeployConfig cfg() {
        return new DeployConfig("demo", "srv:1", "cancer", "1", null, "sha1", 2, 1, null, null, null, null, null, null,
                null, null, null, null);
    }

    @Test
    void deploymentsMatchWhatTheEngineGenerates() throws IOException {
        List<HasMetadata> items = load("deployments.yaml");
        assertThat(items).hasSize(2).allMatch(Deployment.class::isInstance);
        for (Color c : Color.values()) {
            Deployment file = (Deployment) items.stream().filter(i -> i.getMetadata().getName().equals("demo-" + c.id()))
                    .findFirst().orElseThrow();
            Deployment gen = KubeObjects.deployment("demo", c, cfg(), "r1", KubeSettings.of("ml"));
            assertThat(file.getMetadata().getNamespace()).isEqualTo("ml");
            assertThat(file.getMetadata().getLabels()).isEqualTo(gen.getMetadata().getLabels());
            assertThat(file.getMetadata().getAnnotations()).isEqualTo(gen.getMetadata().getAnnotations());
            // The whole spec: replicas, selector, strategy, labels, probes, ports, env, resources, grace period.
            assertThat(file.getSpec()).isEqualTo(gen.getSpec());
        }
    }

    private static io.fabric8.kubernetes.api.model.Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    /** mlops.yaml's deploy.kubernetes reaches the pod: its port, and how the model gets there. */
    @Test
    void theBundledSpecsKubernetesSectionShapesThePod() {
        Path spec = Path.of("..", "examples", "breast-cancer", "mlops.yaml");
        PipelineSpec p = SpecLoader.load(spec, List.of("deploy.kubernetes.containerPort=9090",
                "deploy.kubernetes.trackingSecret=prod-mlflow"));
        KubeSettings s = KubeSettings.of("ml", p.deploy().kubernetes(), null);
        var c = container(KubeObjects.deployment("demo", Color.BLUE, cfg(), "r1", s));
        assertThat(c.getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getContainerPort()).isEqualTo(9090);
            assertThat(port.getName()).isEqualTo(KubeObjects.PORT_NAME);
        });
        assertThat(c.getEnv()).containsExactly(new EnvVar("MLOPS_PORT", "9090", null));
        assertThat(c.getArgs()).containsExactly("--host", "0.0.0.0", "--model", "models:/cancer/1");
        assertThat(c.getEnvFrom()).singleElement().satisfies(e -> {
            assertThat(e.getSecretRef().getName()).isEqualTo("prod-mlflow");
            assertThat(e.getSecretRef().getOptional()).isFalse();
        });
        // Probes name the port, so they follow it.
        assertThat(c.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo(KubeObjects.PORT_NAME);
        assertThat(String.join(" ", c.getArgs())).doesNotContain("mlflow", "token", "http");
    }

    @Test
    void aBakedImageIsToldWhereItsModelIsAndGetsNoCredentials() {
        KubeSettings s = KubeSettings.of("ml").withModel(ModelDelivery.IMAGE, null, null);
        Deployment d = KubeObjects.deployment("demo", Color.BLUE, cfg(), "r1", s);
        var c = container(d);
        assertThat(c.getArgs()).containsExactly("--host", "0.0.0.0", "--model", "/models/model.tribuo");
        assertThat(c.getEnvFrom()).isEmpty();
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName()).containsExactly("tmp");
        // The ledger still records which registry version the image carries.
        assertThat(d.getMetadata().getAnnotations()).containsEntry(KubeObjects.A_MODEL_REF, "models:/cancer/1");
    }

    @Test
    void aModelStoreOnAVolumeIsMountedReadOnlyInsteadOfASecret() {
        KubeSettings s = KubeSettings.of("ml").withModel(ModelDelivery.REGISTRY, null, "mlruns-claim");
        Deployment d = KubeObjects.deployment("demo", Color.GREEN, cfg(), "r1", s);
        var c = container(d);
        assertThat(c.getEnvFrom()).isEmpty();
        assertThat(c.getEnv()).contains(new EnvVar("MLFLOW_TRACKING_URI", "/mlruns", null));
        assertThat(c.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getMountPath()).isEqualTo("/mlruns");
            assertThat(m.getReadOnly()).isTrue();
        });
        assertThat(d.getSpec().getTemplate().getSpec().getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .singleElement().satisfies(v -> {
            assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("mlruns-claim");
            assertThat(v.getPersistentVolumeClaim().getReadOnly()).isTrue();
        });
    }

    @Test
    void aPodCannotLoadAnAliasOrAFileFromTheRegistry() {
        KubeSettings s = KubeSettings.of("ml");
        for (String ref : List.of("models:/cancer@production", "out/model.tribuo")) {
            DeployConfig c = new DeployConfig("demo", "srv:1", "cancer", "1", ref, "sha1", 2, 1, null, null, null, null,
                    null, null, null, null, null, null);
            assertThatThrownBy(() -> KubeObjects.deployment("demo", Color.BLUE, c, "r1", s))
                    .isInstanceOf(dev.mlops.engine.InputException.class).hasMessageContaining(ref)
                    .hasMessageContaining("models:/<name>/<version>").hasMessageContaining("deploy.kubernetes.model: image");
        }
    }

    @Test
    void aBadKubernetesSectionNamesTheKey() {
        Path spec = Path.of("..", "examples", "breast-cancer", "mlops.yaml");
        assertThatThrownBy(() -> SpecLoader.load(spec, List.of("deploy.kubernetes.model=download")))
                .isInstanceOf(dev.mlops.engine.InputException.class)
                .hasMessageContaining("deploy.kubernetes.model").hasMessageContaining("'registry'").hasMessageContaining("'image'");
        assertThatThrownBy(() -> SpecLoader.load(spec, List.of("deploy.kubernetes.containerPort=70000")))
                .hasMessageContaining("deploy.kubernetes.containerPort").hasMessageContaining("70000");
    }

    @Test
    void servicesMatchWhatTheEngineGenerates() throws IOException {
        List<HasMetadata> items = load("services.yaml");
        Service active = (Service) items.stream().filter(i -> i.getMetadata().getName().equals("demo")).findFirst().orElseThrow();
        Service preview = (Service) items.stream().filter(i -> i.getMetadata().getName().equals("demo-preview"))
                .findFirst().orElseThrow();
        KubeSettings s = KubeSettings.of("ml");
        assertThat(active.getSpec()).isEqualTo(KubeObjects.service("demo", "demo", Color.BLUE, null, s).getSpec());
        assertThat(preview.getSpec()).isEqualTo(KubeObjects.service("demo", "demo-preview", Color.GREEN, null, s).getSpec());
        assertThat(active.getMetadata().getLabels()).isEqualTo(
                KubeObjects.service("demo", "demo", Color.BLUE, null, s).getMetadata().getLabels());
        // The Service's named target port exists on the pods it selects.
        Deployment blue = KubeObjects.deployment("demo", Color.BLUE, cfg(), "r1", s);
        assertThat(blue.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts())
                .anyMatch(p -> p.getName().equals(active.getSpec().getPorts().get(0).getTargetPort().getStrVal()));
        assertThat(blue.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(active.getSpec().getSelector());
    }

    @Test
    void namespacePdbAndBindingFitTogether() throws IOException {
        assertThat(load("namespace.yaml")).singleElement().isInstanceOf(Namespace.class)
                .extracting(h -> h.getMetadata().getName()).isEqualTo("ml");
        PodDisruptionBudget pdb = (PodDisruptionBudget) load("pdb.yaml").get(0);
        for (Color c : Color.values()) {
            assertThat(KubeObjects.deployment("demo", c, cfg(), "r1", KubeSettings.of("ml")).getSpec().getTemplate()
                    .getMetadata().getLabels()).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        }
        List<HasMetadata> rbac = load("rbac.yaml");
        ServiceAccount sa = (ServiceAccount) rbac.stream().filter(ServiceAccount.class::isInstance).findFirst().orElseThrow();
        Role role = (Role) rbac.stream().filter(Role.class::isInstance).findFirst().orElseThrow();
        RoleBinding rb = (RoleBinding) rbac.stream().filter(RoleBinding.class::isInstance).findFirst().orElseThrow();
        assertThat(rb.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(rb.getSubjects()).singleElement().satisfies(s -> {
            assertThat(s.getName()).isEqualTo(sa.getMetadata().getName());
            assertThat(s.getNamespace()).isEqualTo("ml");
        });
    }

    /**
     * Records every request the engine's client sends during a deploy, a second deploy, a failed deploy, a warm
     * rollback, a lock conflict, a lock takeover and a status, and compares (group, resource, verb) with the Role.
     */
    @Test
    void roleGrantsExactlyTheCallsTheEngineMakes() throws Exception {
        KubernetesClient engine = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).addToCustomHeaders("X-Actor", "engine").build()).build();
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        FakeCluster cluster = new FakeCluster(client, "ml", "demo", clock); // the "controllers" use the untagged client
        ListLog log = new ListLog();
        KubernetesTarget target = new KubernetesTarget(engine, "demo", KubeSettings.of("ml"), log, clock, cluster);
        BlueGreen bg = new BlueGreen(target, null, cluster, log, clock, cluster);

        // A stale lock from a dead run, so the first deploy exercises the takeover.
        client.leases().inNamespace("ml").resource(new LeaseBuilder().withNewMetadata().withName("demo-deploy-lock")
                .endMetadata().withNewSpec().withHolderIdentity("ghost#0000")
                .withRenewTime(ZonedDateTime.of(2026, 11, 24, 0, 0, 0, 0, ZoneOffset.UTC))
                .withLeaseDurationSeconds(60).endSpec().build()).create();
        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        cluster.faults.put("srv:bad", FakeCluster.Fault.IMAGE_PULL);
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:bad", "3"))).isInstanceOf(DeployFailedException.class);
        bg.rollback(RollbackConfig.toPrevious("demo", "bob"));
        LockInfo other = new KubernetesTarget(client, "demo", KubeSettings.of("ml"), log, clock, cluster).lock()
                .acquire("carol", null, Duration.ofSeconds(60));
        assertThatThrownBy(() -> bg.deploy(KubernetesFaultTest.cfg("srv:4", "4"))).hasMessageContaining("held by carol");
        clock.advance(Duration.ofSeconds(61));
        bg.status("demo");
        bg.deploy(KubernetesFaultTest.cfg("srv:5", "5"));
        assertThat(other.holder()).isEqualTo("carol");

        Set<String> used = new TreeSet<>();
        RecordedRequest r;
        while ((r = server.takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
            if ("engine".equals(r.getHeader("X-Actor"))) {
                used.add(verbOf(r));
            }
        }
        Role role = (Role) load("rbac.yaml").stream().filter(Role.class::isInstance).findFirst().orElseThrow();
        Set<String> granted = new TreeSet<>();
        for (PolicyRule rule : role.getRules()) {
            for (String g : rule.getApiGroups()) {
                for (String res : rule.getResources()) {
                    for (String v : rule.getVerbs()) {
                        granted.add(g + "/" + res + ":" + v);
                    }
                }
            }
        }
        assertThat(used).isEqualTo(granted);
        engine.close();
    }

    /** "group/resource:verb" of one API request, the way RBAC sees it. */
    static String verbOf(RecordedRequest r) {
        String path = r.getPath();
        int q = path.indexOf('?');
        String[] p = (q < 0 ? path : path.substring(0, q)).split("/");
        // /api/v1/namespaces/ns/res[/name] or /apis/group/version/namespaces/ns/res[/name]
        boolean core = p[1].equals("api");
        String group = core ? "" : p[2];
        int resIdx = core ? 5 : 6;
        String resource = p[resIdx];
        boolean named = p.length > resIdx + 1;
        if (p.length > resIdx + 2) {
            resource += "/" + p[resIdx + 2];
        }
        String verb = switch (r.getMethod()) {
            case "GET" -> named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> r.getMethod();
        };
        return group + "/" + resource + ":" + verb;
    }
}
