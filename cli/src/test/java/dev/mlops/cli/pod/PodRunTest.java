package dev.mlops.cli.pod;

import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.KubeObjects;
import dev.mlops.engine.deploy.KubeSettings;
import dev.mlops.engine.deploy.ModelDelivery;
import dev.mlops.engine.deploy.ServerClient;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.tracking.MlflowTestServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The pod test: the Deployments the engine generates, and the ones in k8s/, run as a kubelet would run them
 * ({@link Kubelet}: the image's ENTRYPOINT and CMD from the Dockerfile, the container's args, env from Secrets,
 * volumes as folders, uid 10001). Each must answer /ready 200 on its declared container port and predict the
 * example's smoke rows right, with the model from the local store, from an MLflow server, or baked into the image.
 */
class PodRunTest {
    static final String APP = "breast-cancer";
    static final String TOKEN = "pod-t0ken-5ecret";
    static PodFixtures fx;
    static MlflowTestServer mlflow;

    Kubelet kubelet;

    @BeforeAll
    static void trainAndRegister() throws Exception {
        fx = new PodFixtures();
        PodFixtures.readableByAll(fx.store);
        mlflow = MlflowTestServer.start();
        Path remote = PodFixtures.copyExample(fx.root.resolve("remote"));
        PodFixtures.cli("run", "-f", remote.toString(), "--tracking-uri", mlflow.uri(), "-q");
        mlflow.requireAuthorization("Bearer " + TOKEN); // from here on only the pod's Secret opens the registry
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (mlflow != null) {
            mlflow.close();
        }
        if (fx != null) {
            fx.close();
        }
    }

    @AfterEach
    void stopPods() {
        if (kubelet != null) {
            kubelet.stopAll();
        }
    }

    private Kubelet kubelet(Map<String, DockerImage> images, Map<String, Map<String, String>> secrets,
                            Map<String, Path> claims) throws Exception {
        Path pods = Files.createTempDirectory(fx.root, "pods-");
        Files.setPosixFilePermissions(pods, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        kubelet = new Kubelet(images, secrets, Map.of(), claims, pods);
        return kubelet;
    }

    private static DeployConfig cfg(String image, String version) {
        return new DeployConfig(APP, image, PodFixtures.MODEL, version, null, "sha", 1, 1, null, null, null, null, null,
                null, null, null, null, null);
    }

    private static Map<String, Map<String, String>> trackingSecret() {
        return Map.of(KubeSettings.DEFAULT_TRACKING_SECRET,
                Map.of("MLFLOW_TRACKING_URI", mlflow.uri(), "MLFLOW_TRACKING_TOKEN", TOKEN));
    }

    /** Ticks the kubelet until the readiness probe passes; a pod that cannot start fails the test with its reason. */
    static void awaitReady(Kubelet.ProcessPod pod) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Instant.now().isBefore(deadline)) {
            pod.tick();
            if (pod.ready()) {
                return;
            }
            if (pod.waitingReason() != null) {
                throw new AssertionError(pod + ": " + pod.waitingReason() + ": " + pod.waitingMessage()
                        + "\n--- container log\n" + pod.logText());
            }
            Thread.sleep(250);
        }
        throw new AssertionError(pod + " not ready after 3 minutes\n--- container log\n" + pod.logText());
    }

    /** What a user of the pod gets: readiness, the version it announces, the smoke rows predicted right. */
    private static void assertServes(Kubelet.ProcessPod pod, int declaredPort, String version) throws Exception {
        assertThat(pod.port()).isEqualTo(declaredPort);
        assertThat(pod.address().getPort()).isEqualTo(declaredPort);
        ServerClient http = new HttpServerClient(Duration.ofSeconds(10));
        ServerClient.Reply ready = http.get(pod.address(), "/ready");
        assertThat(ready.status()).as(pod.logText()).isEqualTo(200);
        assertThat(ready.modelVersion()).isEqualTo(version);
        ServerClient.Reply p = http.predict(pod.address(), fx.smoke.rows());
        assertThat(p.status()).isEqualTo(200);
        assertThat(p.predictions()).as("predictions on the smoke rows").isEqualTo(fx.smoke.expected());
        assertThat(pod.healthcheck()).as("the image's HEALTHCHECK inside the pod").isZero();
        if (Kubelet.currentUid() == 0) {
            long pid = pod.process().orElseThrow().pid();
            String status = Files.readString(Path.of("/proc/" + pid + "/status"));
            assertThat(status).as("the container runs as the image's user").containsPattern("(?m)^Uid:\\s+10001\\s");
        }
        System.out.printf("pod %s: ready on %s (declared port %d), model_version %s, %d of %d smoke rows right, "
                        + "HEALTHCHECK exit 0, uid %s%n", pod.name, pod.address(), declaredPort, version,
                fx.smoke.rows().size(), fx.smoke.rows().size(), Kubelet.currentUid() == 0 ? "10001" : "(not root)");
    }

    private static void assertStopsWithinGrace(Kubelet.ProcessPod pod) {
        long start = System.nanoTime();
        pod.stop();
        double s = (System.nanoTime() - start) / 1e9;
        assertThat(pod.process().orElseThrow().isAlive()).isFalse();
        assertThat(s).as("SIGTERM to exit, seconds").isLessThan(30);
        System.out.printf("pod %s: SIGTERM -> exit %d in %.1f s%n", pod.name, pod.process().orElseThrow().exitValue(), s);
    }

    private static Deployment generated(DeployConfig cfg, KubeSettings s) {
        return KubeObjects.deployment(APP, Color.BLUE, cfg, "r1", s);
    }

    @Test
    void theGeneratedDeploymentServesTheLocalStoresModelOnANonDefaultPort() throws Exception {
        int port = Kubelet.freePort();
        KubeSettings s = KubeSettings.of("ml").withContainerPort(port).withModel(ModelDelivery.REGISTRY, null, "mlruns");
        Deployment d = generated(cfg(PodFixtures.SERVER_IMAGE, "1"), s);
        Kubelet.ProcessPod pod = kubelet(Map.of(PodFixtures.SERVER_IMAGE, fx.server), Map.of(), Map.of("mlruns", fx.store))
                .start("local-store", d.getSpec().getTemplate().getSpec());
        awaitReady(pod);
        assertServes(pod, port, "1");
        assertThat(pod.logText()).contains("models:/breast-cancer-classifier/1", "verified sha256");
        assertStopsWithinGrace(pod);
    }

    @Test
    void theGeneratedDeploymentServesFromAnMlflowServerWithCredentialsOnlyFromTheSecret() throws Exception {
        int port = Kubelet.freePort();
        Deployment d = generated(cfg(PodFixtures.SERVER_IMAGE, "1"), KubeSettings.of("ml").withContainerPort(port));
        Kubelet.ProcessPod pod = kubelet(Map.of(PodFixtures.SERVER_IMAGE, fx.server), trackingSecret(), Map.of())
                .start("mlflow", d.getSpec().getTemplate().getSpec());
        awaitReady(pod);
        assertServes(pod, port, "1");
        // The registry opened only to the Secret's token, which is in the environment and nowhere on the command line.
        assertThat(mlflow.requests()).anyMatch(r -> ("Bearer " + TOKEN).equals(r.header("Authorization")));
        assertThat(String.join(" ", pod.argv())).doesNotContain(TOKEN).doesNotContain(mlflow.uri());
        String cmdline = Files.readString(Path.of("/proc/" + pod.process().orElseThrow().pid() + "/cmdline"));
        assertThat(cmdline).doesNotContain(TOKEN);
        assertThat(pod.logText()).doesNotContain(TOKEN);
        assertStopsWithinGrace(pod);
    }

    @Test
    void aBakedImageServesItsOwnModelAndItsLabelsSayWhich() throws Exception {
        DockerImage baked = fx.bakedImage(PodFixtures.MODEL, "2", fx.modelFile());
        Path inImage = DockerImage.inImage(baked.rootfs, KubeSettings.BAKED_MODEL);
        assertThat(baked.labels).containsEntry("dev.mlops.model.name", PodFixtures.MODEL)
                .containsEntry("dev.mlops.model.version", "2")
                .containsEntry("dev.mlops.model.sha256", ModelArtifact.sha256(inImage));
        assertThat(fx.server.labels).as("the server image claims no model").doesNotContainKeys(
                "dev.mlops.model.name", "dev.mlops.model.version", "dev.mlops.model.sha256");
        int port = Kubelet.freePort();
        KubeSettings s = KubeSettings.of("ml").withContainerPort(port).withModel(ModelDelivery.IMAGE, null, null);
        Deployment d = generated(cfg(baked.name, "2"), s);
        // No Secret and no volume but /tmp: the model comes with the image.
        Kubelet.ProcessPod pod = kubelet(Map.of(baked.name, baked), Map.of(), Map.of())
                .start("baked", d.getSpec().getTemplate().getSpec());
        awaitReady(pod);
        assertServes(pod, port, "2");
        assertStopsWithinGrace(pod);
    }

    /** k8s/deployments.yaml as a user applies it (placeholders filled), both colors side by side. */
    @Test
    void theManifestsInK8sStartAndServe() throws Exception {
        String text = Files.readString(DockerImage.REPO.resolve("k8s/deployments.yaml"), StandardCharsets.UTF_8);
        Map<String, String> vars = new HashMap<>(Map.of("${APP}", APP, "${NAMESPACE}", "ml", "${IMAGE}",
                PodFixtures.SERVER_IMAGE, "${MODEL_NAME}", PodFixtures.MODEL, "${MODEL_VERSION}", "1",
                "${MODEL_REF}", "models:/" + PodFixtures.MODEL + "/1", "${GIT_SHA}", "sha", "${RELEASE}", "r1",
                "${TRACKING_SECRET}", KubeSettings.DEFAULT_TRACKING_SECRET));
        for (Map.Entry<String, String> e : vars.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        List<HasMetadata> items = Serialization.unmarshal(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        Kubelet k = kubelet(Map.of(PodFixtures.SERVER_IMAGE, fx.server), trackingSecret(), Map.of());
        List<Kubelet.ProcessPod> pods = new java.util.ArrayList<>();
        for (HasMetadata item : items) {
            Deployment d = (Deployment) item;
            int declared = d.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts().get(0).getContainerPort();
            String ip = Kubelet.nextPodIp();
            assumeThat(Kubelet.bindable(ip, declared)).as("port " + declared + " free on this machine").isTrue();
            pods.add(k.start(d.getMetadata().getName(), d.getSpec().getTemplate().getSpec()));
        }
        assertThat(pods).hasSize(2);
        for (Kubelet.ProcessPod pod : pods) {
            awaitReady(pod);
            assertServes(pod, 8080, "1");
        }
        for (Kubelet.ProcessPod pod : pods) {
            assertStopsWithinGrace(pod);
        }
    }

    /**
     * What issue 13 found: a pod whose model is not where it is told to look exits, and the kubelet reports
     * CrashLoopBackOff with the server's own message (here: told the model is baked in, given the plain server
     * image). A missing Secret never starts a container at all.
     */
    @Test
    void aPodThatCannotStartSaysWhy() throws Exception {
        KubeSettings image = KubeSettings.of("ml").withContainerPort(Kubelet.freePort())
                .withModel(ModelDelivery.IMAGE, null, null);
        Kubelet k = kubelet(Map.of(PodFixtures.SERVER_IMAGE, fx.server), Map.of(), Map.of());
        Kubelet.ProcessPod noModel = k.start("no-model", generated(cfg(PodFixtures.SERVER_IMAGE, "1"), image)
                .getSpec().getTemplate().getSpec());
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        while (noModel.waitingReason() == null && Instant.now().isBefore(deadline)) {
            noModel.tick();
            Thread.sleep(200);
        }
        assertThat(noModel.waitingReason()).isEqualTo("CrashLoopBackOff");
        assertThat(noModel.waitingMessage()).contains("exit code 2", "/models/model.tribuo: model file not found");

        Kubelet.ProcessPod noSecret = k.start("no-secret", generated(cfg(PodFixtures.SERVER_IMAGE, "1"),
                KubeSettings.of("ml")).getSpec().getTemplate().getSpec());
        assertThat(noSecret.waitingReason()).isEqualTo("CreateContainerConfigError");
        assertThat(noSecret.waitingMessage()).isEqualTo("secret \"mlflow-tracking\" not found");
        assertThat(noSecret.process()).isEmpty();
    }
}
