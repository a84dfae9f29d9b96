package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects the Kubernetes target writes, built in one place so the manifests in k8s/ can be checked against them.
 * Pods carry labels {@code app}, {@code color}, {@code release}; Services select on {@code app} and {@code color}.
 */
public final class KubeObjects {
    public static final String APP = "app";
    public static final String COLOR = "color";
    public static final String RELEASE = "release";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String A_MODEL_NAME = "mlops.dev/model-name";
    public static final String A_MODEL_VERSION = "mlops.dev/model-version";
    public static final String A_MODEL_REF = "mlops.dev/model-ref";
    public static final String A_GIT_SHA = "mlops.dev/git-sha";
    public static final String A_RELEASE = "mlops.dev/release";
    public static final String A_HOLDER = "mlops.dev/holder";
    public static final String A_BUILD_URL = "mlops.dev/build-url";
    public static final String CONTAINER = "model-server";
    public static final String PORT_NAME = "http";
    public static final String LEDGER_KEY = "releases.json";
    /** The server's port; the image's HEALTHCHECK reads it too. */
    public static final String ENV_PORT = "MLOPS_PORT";
    public static final String ENV_TRACKING_URI = "MLFLOW_TRACKING_URI";
    static final String VOLUME_TMP = "tmp";
    static final String VOLUME_STORE = "model-store";

    private KubeObjects() {
    }

    public static String deploymentName(String app, Color c) {
        return app + "-" + c.id();
    }

    public static String activeService(String app) {
        return app;
    }

    public static String previewService(String app) {
        return app + "-preview";
    }

    public static String ledgerName(String app) {
        return app + "-releases";
    }

    public static String leaseName(String app) {
        return app + "-deploy-lock";
    }

    public static Map<String, String> selector(String app, Color c) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(APP, app);
        m.put(COLOR, c.id());
        return m;
    }

    /**
     * The Deployment of one color: the model-server image told where its model is, probes on /health and /ready, a
     * restricted security context (non-root, read-only root file system with an emptyDir at /tmp for the JVM and
     * registry downloads). The server is configured by its arguments and {@code MLOPS_PORT}, which the image's
     * HEALTHCHECK follows too; registry credentials reach it only as environment variables from a Secret.
     */
    public static Deployment deployment(String app, Color c, DeployConfig cfg, String releaseId, KubeSettings s) {
        Map<String, String> podLabels = selector(app, c);
        podLabels.put(RELEASE, releaseId);
        Map<String, String> labels = new LinkedHashMap<>(podLabels);
        labels.put(MANAGED_BY, "mlops");
        Map<String, String> ann = new LinkedHashMap<>();
        ann.put(A_MODEL_NAME, cfg.modelName());
        ann.put(A_MODEL_VERSION, cfg.modelVersion());
        ann.put(A_MODEL_REF, cfg.modelRef());
        ann.put(A_GIT_SHA, cfg.gitSha());
        ann.put(A_RELEASE, releaseId);
        return new DeploymentBuilder()
                .withNewMetadata().withName(deploymentName(app, c)).withNamespace(s.namespace())
                    .withLabels(labels).withAnnotations(ann).endMetadata()
                .withNewSpec()
                    .withReplicas(cfg.replicas())
                    .withNewSelector().withMatchLabels(selector(app, c)).endSelector()
                    .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                        .withMaxUnavailable(new IntOrString(0)).withMaxSurge(new IntOrString("25%"))
                        .endRollingUpdate().endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(podLabels).withAnnotations(ann).endMetadata()
                        .withSpec(podSpec(cfg, s))
                    .endTemplate()
                .endSpec()
                .build();
    }

    private static PodSpec podSpec(DeployConfig cfg, KubeSettings s) {
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER).withImage(cfg.image())
                .withArgs(List.of("--host", "0.0.0.0", "--model", modelArgument(cfg, s)))
                .addNewPort().withName(PORT_NAME).withContainerPort(s.containerPort()).endPort()
                .addNewEnv().withName(ENV_PORT).withValue(String.valueOf(s.containerPort())).endEnv()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready")
                    .withPort(new IntOrString(PORT_NAME)).endHttpGet()
                    .withPeriodSeconds(2).withFailureThreshold(1).withTimeoutSeconds(2).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/health")
                    .withPort(new IntOrString(PORT_NAME)).endHttpGet()
                    .withInitialDelaySeconds(10).withPeriodSeconds(10).withFailureThreshold(3)
                    .withTimeoutSeconds(2).endLivenessProbe()
                .withNewResources()
                    .addToRequests("cpu", new Quantity(s.cpuRequest()))
                    .addToRequests("memory", new Quantity(s.memoryRequest()))
                    .addToLimits("memory", new Quantity(s.memoryLimit()))
                .endResources()
                .withNewSecurityContext().withRunAsNonRoot(true).withAllowPrivilegeEscalation(false)
                    .withReadOnlyRootFilesystem(true).withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName(VOLUME_TMP).withMountPath("/tmp").endVolumeMount();
        PodSpecBuilder pod = new PodSpecBuilder()
                .withTerminationGracePeriodSeconds((long) s.terminationGraceSeconds())
                .addNewVolume().withName(VOLUME_TMP).withNewEmptyDir().endEmptyDir().endVolume();
        if (s.modelDelivery() == ModelDelivery.REGISTRY) {
            if (s.storeClaim() != null) {
                container.addNewEnv().withName(ENV_TRACKING_URI).withValue(KubeSettings.STORE_PATH).endEnv()
                        .addNewVolumeMount().withName(VOLUME_STORE).withMountPath(KubeSettings.STORE_PATH)
                        .withReadOnly(true).endVolumeMount();
                pod.addNewVolume().withName(VOLUME_STORE).withNewPersistentVolumeClaim()
                        .withClaimName(s.storeClaim()).withReadOnly(true).endPersistentVolumeClaim().endVolume();
            } else {
                container.addNewEnvFrom().withNewSecretRef().withName(s.trackingSecret()).withOptional(false)
                        .endSecretRef().endEnvFrom();
            }
        }
        return pod.withContainers(container.build()).build();
    }

    /**
     * What {@code --model} says: a pinned registry version (an alias would let a restarted pod load another model
     * than its color's release), or the file baked into the image.
     */
    static String modelArgument(DeployConfig cfg, KubeSettings s) {
        if (s.modelDelivery() == ModelDelivery.IMAGE) {
            return KubeSettings.BAKED_MODEL;
        }
        String ref = cfg.modelRef();
        if (!ref.startsWith("models:/") || ref.contains("@")) {
            throw new InputException("kubernetes: model reference '" + ref + "' cannot be loaded by a pod with model "
                    + "delivery 'registry': give models:/<name>/<version> (the default), or bake the file into an "
                    + "image (Dockerfile.model) and set deploy.kubernetes.model: image");
        }
        return ref;
    }

    /** The public (active) or preview Service, selecting one color. */
    public static Service service(String app, String name, Color c, String releaseId, KubeSettings s) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(APP, app);
        labels.put(MANAGED_BY, "mlops");
        ServiceBuilder b = new ServiceBuilder()
                .withNewMetadata().withName(name).withNamespace(s.namespace()).withLabels(labels).endMetadata()
                .withNewSpec().withType("ClusterIP").withSelector(selector(app, c))
                    .addNewPort().withName(PORT_NAME).withPort(s.servicePort())
                    .withTargetPort(new IntOrString(PORT_NAME)).withProtocol("TCP").endPort()
                .endSpec();
        if (releaseId != null) {
            b.editMetadata().addToAnnotations(A_RELEASE, releaseId).endMetadata();
        }
        return b.build();
    }

    public static ConfigMap ledger(String app, String json, KubeSettings s) {
        return new ConfigMapBuilder().withNewMetadata().withName(ledgerName(app)).withNamespace(s.namespace())
                .addToLabels(APP, app).addToLabels(MANAGED_BY, "mlops").endMetadata()
                .addToData(LEDGER_KEY, json).build();
    }
}
