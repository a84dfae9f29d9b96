package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops gate}: the candidate's metrics ({@code metrics}, default {@code OUT/metrics.json}) against the policy and
 * the baseline: the version holding {@code gate.baselineAlias}, or {@code baselineVersion} when given.
 */
public record GateRequest(String spec, List<String> overrides, String trackingUri, String out, String metrics,
                          String baselineVersion) implements Serializable {
    public GateRequest {
        Requests.requireSpec(spec);
        overrides = Requests.list(overrides);
    }

    public GateRequest(String spec) {
        this(spec, null, null, null, null, null);
    }

    public GateRequest withOverrides(List<String> o) {
        return new GateRequest(spec, o, trackingUri, out, metrics, baselineVersion);
    }

    public GateRequest withTrackingUri(String uri) {
        return new GateRequest(spec, overrides, uri, out, metrics, baselineVersion);
    }

    public GateRequest withOut(String dir) {
        return new GateRequest(spec, overrides, trackingUri, dir, metrics, baselineVersion);
    }

    public GateRequest withMetrics(String file) {
        return new GateRequest(spec, overrides, trackingUri, out, file, baselineVersion);
    }

    public GateRequest withBaselineVersion(String version) {
        return new GateRequest(spec, overrides, trackingUri, out, metrics, version);
    }
}
