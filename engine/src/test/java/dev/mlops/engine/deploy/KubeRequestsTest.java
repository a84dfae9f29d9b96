package dev.mlops.engine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.fabric8.kubernetes.client.http.StandardHttpRequest;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the deployer sends, not only where: the body and content type of every write a deploy makes. A path-only
 * check passes a switch that drops its resourceVersion (a lost update under a concurrent change) or a re-apply that
 * leaves the old model argument in place.
 */
@EnableKubernetesMockClient(crud = true)
class KubeRequestsTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();
    static final String NS = KubernetesFaultTest.NS;
    static final String APP = KubernetesFaultTest.APP;
    static final String MERGE = "application/merge-patch+json";

    KubernetesClient client;
    KubernetesMockServer server;

    KubernetesClient engine;
    FakeCluster cluster;
    BlueGreen bg;
    /** What the engine's client sent, recorded as it leaves (the mock's dispatcher consumes request bodies). */
    final List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    record Sent(String method, String path, String contentType, String body) {
    }

    @BeforeEach
    void setUp() {
        // Only the engine's client records, so the controllers' own writes stay out of the record.
        engine = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("record", new Interceptor() {
                    @Override
                    public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                        String type = request instanceof StandardHttpRequest s ? s.getContentType()
                                : request.header("Content-Type");
                        sent.add(new Sent(request.method(), request.uri().getRawPath(), type, request.bodyString()));
                    }
                })).build();
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        cluster = new FakeCluster(client, NS, APP, clock);
        ListLog log = new ListLog();
        bg = new BlueGreen(new KubernetesTarget(engine, APP, KubeSettings.of(NS), log, clock, cluster),
                new MemoryTracker(), cluster, log, clock, cluster);
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    /** The writes sent since the last call. */
    private List<Sent> engineWrites() {
        List<Sent> out = sent.stream().filter(r -> !r.method().equals("GET")).toList();
        sent.clear();
        return out;
    }

    private static List<Sent> to(List<Sent> all, String method, String path) {
        return all.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private static JsonNode body(Sent r) throws IOException {
        return Json.MAPPER.readTree(r.body());
    }

    @Test
    void theSwitchIsAMergePatchOfTheSelectorCarryingTheResourceVersionJustRead() throws Exception {
        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        String before = client.services().inNamespace(NS).withName(APP).get().getMetadata().getResourceVersion();
        engineWrites();

        Release r = bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));

        List<Sent> switches = to(engineWrites(), "PATCH", "/api/v1/namespaces/ml/services/demo");
        assertThat(switches).hasSize(1);
        Sent sw = switches.get(0);
        assertThat(sw.contentType()).startsWith(MERGE);
        JsonNode b = body(sw);
        // The optimistic lock: without it a concurrent selector change between our read and our write is lost.
        assertThat(b.path("metadata").path("resourceVersion").asText()).as("resourceVersion in the switch")
                .isNotEmpty().isEqualTo(before);
        assertThat(b.path("metadata").path("annotations").path(KubeObjects.A_RELEASE).asText()).isEqualTo(r.id());
        assertThat(b.path("spec")).isEqualTo(Json.MAPPER.readTree("{\"selector\":{\"color\":\"green\"}}"));
        assertThat(b.size()).as("nothing else in the patch").isEqualTo(2);
    }

    /** Why the resourceVersion matters: the API server refuses a patch based on an outdated read. */
    @Test
    void aSelectorPatchWithAnOutdatedResourceVersionIsAConflict() {
        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        String read = client.services().inNamespace(NS).withName(APP).get().getMetadata().getResourceVersion();
        client.services().inNamespace(NS).withName(APP).edit(s -> {
            s.getMetadata().getLabels().put("touched", "yes");
            return s;
        });
        assertThatThrownBy(() -> client.services().inNamespace(NS).withName(APP).patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"resourceVersion\":\"" + read + "\"},\"spec\":{\"selector\":{\"color\":\"green\"}}}"))
                .isInstanceOf(KubernetesClientException.class).extracting(e -> ((KubernetesClientException) e).getCode())
                .isEqualTo(409);
    }

    @Test
    void reApplyingAColorReplacesItsWholePodSpecByJsonPatch() throws Exception {
        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        engineWrites();

        Release r = bg.deploy(KubernetesFaultTest.cfg("srv:3", "3")); // blue exists: a JSON Patch, not a create

        List<Sent> w = engineWrites();
        List<Sent> apply = to(w, "PATCH", "/apis/apps/v1/namespaces/ml/deployments/demo-blue").stream()
                .filter(x -> x.contentType().startsWith("application/json-patch+json")).toList();
        assertThat(apply).hasSize(1);
        JsonNode ops = body(apply.get(0));
        JsonNode spec = null;
        List<String> paths = new ArrayList<>();
        for (JsonNode op : ops) {
            paths.add(op.path("op").asText() + " " + op.path("path").asText());
            if (op.path("path").asText().equals("/spec")) {
                spec = op.path("value");
            }
        }
        assertThat(paths).contains("replace /spec", "add /metadata/labels/release",
                "add /metadata/annotations/mlops.dev~1model-version", "add /metadata/annotations/mlops.dev~1release");
        assertThat(spec).isNotNull();
        JsonNode container = spec.path("template").path("spec").path("containers").get(0);
        assertThat(container.path("image").asText()).isEqualTo("srv:3");
        assertThat(container.path("args").toString()).isEqualTo("[\"--host\",\"0.0.0.0\",\"--model\",\"models:/cancer/3\"]");
        assertThat(spec.path("template").path("metadata").path("labels").path("release").asText()).isEqualTo(r.id());
        assertThat(spec.path("replicas").asInt()).isEqualTo(2);

        // The color left behind is scaled by a merge patch of replicas alone.
        List<Sent> scale = to(w, "PATCH", "/apis/apps/v1/namespaces/ml/deployments/demo-green");
        assertThat(scale).singleElement().satisfies(x -> {
            assertThat(x.contentType()).startsWith(MERGE);
            assertThat(body(x)).isEqualTo(Json.MAPPER.readTree("{\"spec\":{\"replicas\":1}}"));
        });
        // The preview follows the color being deployed, without a resourceVersion (nobody else writes it).
        List<Sent> preview = to(w, "PATCH", "/api/v1/namespaces/ml/services/demo-preview");
        assertThat(preview).singleElement().satisfies(x ->
                assertThat(body(x).path("spec")).isEqualTo(Json.MAPPER.readTree("{\"selector\":{\"color\":\"blue\"}}")));
    }

    @Test
    void theLedgerAndTheLockCarryWhatTheyClaim() throws Exception {
        bg.deploy(KubernetesFaultTest.cfg("srv:1", "1"));
        engineWrites();
        Release r = bg.deploy(KubernetesFaultTest.cfg("srv:2", "2"));
        List<Sent> w = engineWrites();

        Sent lease = to(w, "POST", "/apis/coordination.k8s.io/v1/namespaces/ml/leases").get(0);
        JsonNode l = body(lease);
        assertThat(l.path("metadata").path("name").asText()).isEqualTo("demo-deploy-lock");
        assertThat(l.path("spec").path("holderIdentity").asText()).startsWith("alice#");
        assertThat(l.path("spec").path("leaseDurationSeconds").asInt()).isEqualTo(90);
        assertThat(l.path("metadata").path("annotations").path(KubeObjects.A_BUILD_URL).asText()).isEqualTo("https://ci/job/7");
        assertThat(to(w, "DELETE", "/apis/coordination.k8s.io/v1/namespaces/ml/leases/demo-deploy-lock")).hasSize(1);

        List<Sent> ledger = to(w, "PATCH", "/api/v1/namespaces/ml/configmaps/demo-releases");
        assertThat(ledger).hasSizeGreaterThanOrEqualTo(2); // IN_PROGRESS first, the outcome last
        JsonNode first = Json.MAPPER.readTree(body(ledger.get(0)).path("data").path(KubeObjects.LEDGER_KEY).asText());
        JsonNode last = Json.MAPPER.readTree(body(ledger.get(ledger.size() - 1)).path("data").path(KubeObjects.LEDGER_KEY).asText());
        assertThat(first.get(0).path("id").asText()).isEqualTo(r.id());
        assertThat(first.get(0).path("outcome").asText()).isEqualTo("IN_PROGRESS");
        assertThat(last.get(0).path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(last).hasSize(2);
        for (Sent x : ledger) {
            assertThat(x.contentType()).startsWith(MERGE);
        }
    }
}
