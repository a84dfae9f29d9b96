package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.spec.KubernetesSpec;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * How the Kubernetes target shapes its objects. {@code endpointTemplate} turns a Service into the URL the deployer
 * probes (placeholders {service}, {namespace}, {port}); the default is the in-cluster DNS name, right for a CI agent
 * running in the cluster. {@code terminationGraceSeconds} gives the server time to drain (it answers 503 on /ready
 * while draining). {@code containerPort} is where the server listens in the pod ({@code MLOPS_PORT}).
 *
 * <p>How pods get their model ({@link ModelDelivery}): from the registry at start, with {@code MLFLOW_TRACKING_URI}
 * and the credentials taken from the Secret {@code trackingSecret} (as environment variables, never arguments), or
 * from a model store in MLflow's folder layout on the PersistentVolumeClaim {@code storeClaim}, mounted read-only at
 * {@link #STORE_PATH}; or baked into the image at {@link #BAKED_MODEL}.
 */
public record KubeSettings(String namespace, Integer containerPort, Integer servicePort, String cpuRequest,
                           String memoryRequest, String memoryLimit, Integer terminationGraceSeconds,
                           String endpointTemplate, ModelDelivery modelDelivery, String trackingSecret,
                           String storeClaim) {
    /** Where Dockerfile.model puts the model file. */
    public static final String BAKED_MODEL = "/models/model.tribuo";
    /** Where a model store on a PersistentVolumeClaim is mounted. */
    public static final String STORE_PATH = "/mlruns";
    public static final String DEFAULT_TRACKING_SECRET = "mlflow-tracking";
    private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

    public KubeSettings {
        if (namespace == null || namespace.isBlank()) {
            throw new InputException("kubernetes: namespace is required");
        }
        containerPort = containerPort == null ? 8080 : containerPort;
        servicePort = servicePort == null ? 80 : servicePort;
        for (int p : new int[]{containerPort, servicePort}) {
            if (p < 1 || p > 65535) {
                throw new InputException("kubernetes: ports must be 1..65535, got " + p);
            }
        }
        cpuRequest = cpuRequest == null ? "250m" : cpuRequest;
        memoryRequest = memoryRequest == null ? "512Mi" : memoryRequest;
        memoryLimit = memoryLimit == null ? "1Gi" : memoryLimit;
        terminationGraceSeconds = terminationGraceSeconds == null ? 30 : terminationGraceSeconds;
        endpointTemplate = endpointTemplate == null ? "http://{service}.{namespace}.svc:{port}" : endpointTemplate;
        modelDelivery = modelDelivery == null ? ModelDelivery.REGISTRY : modelDelivery;
        trackingSecret = trackingSecret == null || trackingSecret.isBlank() ? DEFAULT_TRACKING_SECRET : trackingSecret;
        storeClaim = storeClaim == null || storeClaim.isBlank() ? null : storeClaim;
        for (String name : new String[]{trackingSecret, storeClaim}) {
            if (name != null && !DNS_NAME.matcher(name).matches()) {
                throw new InputException("kubernetes: '" + name + "' is not a valid object name (lower-case letters, "
                        + "digits, '-' and '.')");
            }
        }
    }

    public static KubeSettings of(String namespace) {
        return new KubeSettings(namespace, null, null, null, null, null, null, null, null, null, null);
    }

    /** The spec's {@code deploy.kubernetes} section (null: all defaults) for one namespace. */
    public static KubeSettings of(String namespace, KubernetesSpec k, String endpointTemplate) {
        if (k == null) {
            return new KubeSettings(namespace, null, null, null, null, null, null, endpointTemplate, null, null, null);
        }
        return new KubeSettings(namespace, k.containerPort(), k.servicePort(), null, null, null, null, endpointTemplate,
                ModelDelivery.parse(k.model(), "deploy.kubernetes.model"), k.trackingSecret(), k.storeClaim());
    }

    public KubeSettings withContainerPort(int port) {
        return new KubeSettings(namespace, port, servicePort, cpuRequest, memoryRequest, memoryLimit,
                terminationGraceSeconds, endpointTemplate, modelDelivery, trackingSecret, storeClaim);
    }

    public KubeSettings withModel(ModelDelivery delivery, String secret, String claim) {
        return new KubeSettings(namespace, containerPort, servicePort, cpuRequest, memoryRequest, memoryLimit,
                terminationGraceSeconds, endpointTemplate, delivery, secret, claim);
    }

    String endpoint(String service) {
        String s = endpointTemplate;
        for (Map.Entry<String, String> e : Map.of("{service}", service, "{namespace}", namespace,
                "{port}", String.valueOf(servicePort)).entrySet()) {
            s = s.replace(e.getKey(), e.getValue());
        }
        return s;
    }
}
