package dev.mlops.engine.spec;

/**
 * {@code deploy.kubernetes}: how pods get their model and where they listen.
 *
 * @param model          {@code registry} (default): the server image loads {@code models:/<name>/<version>} at
 *                       start; {@code image}: the image has the model baked in (Dockerfile.model)
 * @param trackingSecret registry: the Secret whose keys become the pod's environment: {@code MLFLOW_TRACKING_URI}
 *                       and {@code MLFLOW_TRACKING_TOKEN} (or {@code MLFLOW_TRACKING_USERNAME} and
 *                       {@code MLFLOW_TRACKING_PASSWORD}); default {@code mlflow-tracking}
 * @param storeClaim     registry: a PersistentVolumeClaim holding a model store in MLflow's folder layout, mounted
 *                       read-only, instead of a tracking server (no Secret then)
 * @param containerPort  the port the server listens on in the pod (default 8080)
 * @param servicePort    the port of the Services (default 80)
 */
public record KubernetesSpec(String model, String trackingSecret, String storeClaim, Integer containerPort,
                             Integer servicePort) {
}
