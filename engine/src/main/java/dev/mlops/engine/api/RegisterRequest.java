package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops register}: a new version of {@code tracking.registeredModel} from a tracked run's model ({@code runId},
 * default the run in {@code OUT/train.json}), with {@code alias} (default {@code candidate}) pointing at it.
 */
public record RegisterRequest(String spec, List<String> overrides, String trackingUri, String out, String runId,
                              String alias) implements Serializable {
    public static final String DEFAULT_ALIAS = "candidate";

    public RegisterRequest {
        Requests.requireSpec(spec);
        overrides = Requests.list(overrides);
        alias = alias == null || alias.isBlank() ? DEFAULT_ALIAS : alias;
    }

    public RegisterRequest(String spec) {
        this(spec, null, null, null, null, null);
    }

    public RegisterRequest withOverrides(List<String> o) {
        return new RegisterRequest(spec, o, trackingUri, out, runId, alias);
    }

    public RegisterRequest withTrackingUri(String uri) {
        return new RegisterRequest(spec, overrides, uri, out, runId, alias);
    }

    public RegisterRequest withOut(String dir) {
        return new RegisterRequest(spec, overrides, trackingUri, dir, runId, alias);
    }

    public RegisterRequest withRunId(String id) {
        return new RegisterRequest(spec, overrides, trackingUri, out, id, alias);
    }

    public RegisterRequest withAlias(String a) {
        return new RegisterRequest(spec, overrides, trackingUri, out, runId, a);
    }
}
