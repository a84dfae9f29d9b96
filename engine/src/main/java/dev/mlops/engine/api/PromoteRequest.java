package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops promote}: point {@code alias} at a version of {@code model} (default {@code tracking.registeredModel}):
 * exactly one of {@code version} or {@code fromAlias} (the version another alias holds).
 */
public record PromoteRequest(String spec, String alias, List<String> overrides, String trackingUri, String version,
                             String fromAlias, String model) implements Serializable {
    public PromoteRequest {
        Requests.requireSpec(spec);
        overrides = Requests.list(overrides);
    }

    public PromoteRequest(String spec, String alias) {
        this(spec, alias, null, null, null, null, null);
    }

    public PromoteRequest withOverrides(List<String> o) {
        return new PromoteRequest(spec, alias, o, trackingUri, version, fromAlias, model);
    }

    public PromoteRequest withTrackingUri(String uri) {
        return new PromoteRequest(spec, alias, overrides, uri, version, fromAlias, model);
    }

    public PromoteRequest withVersion(String v) {
        return new PromoteRequest(spec, alias, overrides, trackingUri, v, fromAlias, model);
    }

    public PromoteRequest withFromAlias(String a) {
        return new PromoteRequest(spec, alias, overrides, trackingUri, version, a, model);
    }

    public PromoteRequest withModel(String name) {
        return new PromoteRequest(spec, alias, overrides, trackingUri, version, fromAlias, name);
    }
}
