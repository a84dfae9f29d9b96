package dev.mlops.cli.pod;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import dev.mlops.engine.deploy.FakeCluster;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.ServerClient;
import dev.mlops.engine.tracking.LocalStore;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The release story on Kubernetes from the command line, with pods that really run: {@code mlops deploy -f
 * mlops.yaml --target kubernetes} against the mock API server, where {@link FakeCluster} plays the Deployment
 * controller in the background and a {@link Kubelet} starts every pod as an {@code mlops serve} process from the
 * image. The Deployments' readiness is what those processes' readiness probes say; nobody sets it. Deploy v1, deploy
 * v2, roll back: traffic through the public Service follows, and the registry alias with it.
 */
@EnableKubernetesMockClient(crud = true)
class PodDeployTest {
    static final java.util.logging.Logger MOCK_LOG = quiet();
    static final String NS = "ml";
    static final String APP = "breast-cancer";

    static java.util.logging.Logger quiet() {
        java.util.logging.Logger l = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");
        l.setLevel(java.util.logging.Level.WARNING);
        return l;
    }

    KubernetesClient client;

    PodFixtures fx;
    Kubelet kubelet;
    FakeCluster cluster;
    KubeProxy proxy;
    Thread controller;
    volatile boolean running = true;

    @BeforeEach
    void setUp() throws Exception {
        fx = new PodFixtures();
        PodFixtures.readableByAll(fx.store);
        Path pods = Files.createDirectories(fx.root.resolve("pods"));
        Files.setPosixFilePermissions(pods, PosixFilePermissions.fromString("rwxr-xr-x"));
        kubelet = new Kubelet(Map.of(PodFixtures.SERVER_IMAGE, fx.server), Map.of(), Map.of(),
                Map.of("mlruns", fx.store), pods);
        cluster = new FakeCluster(client, NS, APP, Clock.systemUTC(), kubelet);
        proxy = new KubeProxy(cluster);
        controller = new Thread(() -> {
            while (running) {
                try {
                    cluster.tick();
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // the API server is shutting down at the end of the test
                }
            }
        }, "fake-controllers");
        controller.setDaemon(true);
        controller.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        running = false;
        controller.interrupt();
        controller.join(5000);
        kubelet.stopAll();
        proxy.close();
        fx.close();
    }

    private Path kubeconfig() throws Exception {
        String url = client.getConfiguration().getMasterUrl();
        return Files.writeString(fx.root.resolve("kubeconfig"), String.join("\n",
                "apiVersion: v1", "kind: Config",
                "clusters: [{name: mock, cluster: {server: \"" + url + "\", insecure-skip-tls-verify: true}}]",
                "users: [{name: ci, user: {token: not-a-real-token}}]",
                "contexts: [{name: mock, context: {cluster: mock, user: ci, namespace: " + NS + "}}]",
                "current-context: mock", ""));
    }

    private static String[] concat(String[] a, String... b) {
        return Stream.concat(Stream.of(a), Stream.of(b)).toArray(String[]::new);
    }

    /** Runs the CLI; shows the deployer's rollout, smoke, switch and verify lines; returns its release record. */
    private static JsonNode run(String... args) throws Exception {
        String[] r = PodFixtures.cliRun(args);
        r[1].lines().filter(l -> l.matches(".*(rollout: \\w+ (ready|waiting)|smoke test passed|switch: traffic|verify passed).*"))
                .forEach(l -> System.out.println("  mlops " + args[0] + ": " + l.strip()));
        return Json.MAPPER.readTree(r[0]).path("release");
    }

    private String served() {
        ServerClient.Reply r = new HttpServerClient(Duration.ofSeconds(10)).get(proxy.service(APP), "/version");
        assertThat(r.status()).isEqualTo(200);
        return r.modelVersion();
    }

    private String alias() {
        try (LocalStore s = new LocalStore(fx.store, Clock.systemUTC())) {
            return s.findByAlias(PodFixtures.MODEL, "production").orElseThrow().version();
        }
    }

    private Deployment deployment(String color) {
        return client.apps().deployments().inNamespace(NS).withName(APP + "-" + color).get();
    }

    @Test
    void deployTwoVersionsThenRollBackWithPodsThatReallyServe() throws Exception {
        int port = Kubelet.freePort();
        String[] target = {"-f", fx.spec.toString(), "--target", "kubernetes", "--kubeconfig", kubeconfig().toString(),
                "-n", NS, "--endpoint-template", proxy.endpointTemplate(),
                "--set", "deploy.kubernetes.storeClaim=mlruns", "--set", "deploy.kubernetes.containerPort=" + port,
                "--set", "deploy.replicas=1", "--set", "deploy.smokeLatencyBudgetMs=5000", "--verify-window", "2s"};
        String[] deploy = concat(concat(new String[]{"deploy"}, target), "--image", PodFixtures.SERVER_IMAGE, "--json");

        JsonNode v1 = run(concat(deploy, "--model-version", "1"));
        assertThat(v1.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(v1.path("color").asText()).isEqualToIgnoringCase("blue");
        assertThat(served()).isEqualTo("1");
        assertThat(alias()).isEqualTo("1");

        JsonNode v2 = run(concat(deploy, "--model-version", "2"));
        assertThat(v2.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(v2.path("color").asText()).isEqualToIgnoringCase("green");
        assertThat(served()).isEqualTo("2");
        assertThat(alias()).isEqualTo("2");

        JsonNode back = run(concat(concat(new String[]{"rollback"}, target), "--json"));
        assertThat(back.path("outcome").asText()).isEqualTo("SUCCEEDED");
        assertThat(back.path("kind").asText()).isEqualToIgnoringCase("rollback");
        assertThat(served()).isEqualTo("1");
        assertThat(alias()).isEqualTo("1");

        // Every pod was a process started from the generated Deployment, on the port the spec asked for, and the
        // Deployments' available replicas are the pods whose probe passed.
        List<String> seen = new ArrayList<>();
        for (Kubelet.ProcessPod p : kubelet.started) {
            assertThat(p.port()).isEqualTo(port);
            assertThat(p.argv()).contains("--host", "--model");
            seen.add(p.name + " " + p + " " + p.argv().get(p.argv().indexOf("--model") + 1));
        }
        assertThat(seen).anyMatch(s -> s.contains("models:/" + PodFixtures.MODEL + "/1"))
                .anyMatch(s -> s.contains("models:/" + PodFixtures.MODEL + "/2"));
        Thread.sleep(1000);
        assertThat(deployment("blue").getStatus().getAvailableReplicas()).isEqualTo(1);
        assertThat(deployment("green").getStatus().getAvailableReplicas()).as("kept warm").isEqualTo(1);
        seen.forEach(s -> System.out.println("started " + s));
        System.out.println("deploy v1 -> " + v1.path("color").asText() + ", v2 -> " + v2.path("color").asText()
                + ", rollback -> " + back.path("color").asText() + "; served through the public Service: " + served());
    }
}
