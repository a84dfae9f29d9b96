package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;

import java.util.Map;

/**
 * How the Kubernetes target shapes its objects. {@code endpointTemplate} turns a Service into the URL the deployer
 * probes (placeholders {service}, {namespace}, {port}); the default is the in-cluster DNS name, right for a CI agent
 * running in the cluster. {@code terminationGraceSeconds} gives the server time to drain (it answers 503 on /ready
 * while draining).
 */
public record KubeSettings(String namespace, Integer containerPort, Integer servicePort, String cpuRequest,
                           String memoryRequest, String memoryLimit, Integer terminationGraceSeconds,
                           String endpointTemplate) {
    public KubeSettings {
        if (namespace == null || namespace.isBlank()) {
            throw new InputException("kubernetes: namespace is required");
        }
        containerPort = containerPort == null ? 8080 : containerPort;
        servicePort = servicePort == null ? 80 : servicePort;
        cpuRequest = cpuRequest == null ? "250m" : cpuRequest;
        memoryRequest = memoryRequest == null ? "512Mi" : memoryRequest;
        memoryLimit = memoryLimit == null ? "1Gi" : memoryLimit;
        terminationGraceSeconds = terminationGraceSeconds == null ? 30 : terminationGraceSeconds;
        endpointTemplate = endpointTemplate == null ? "http://{service}.{namespace}.svc:{port}" : endpointTemplate;
    }

    public static KubeSettings of(String namespace) {
        return new KubeSettings(namespace, null, null, null, null, null, null, null);
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
