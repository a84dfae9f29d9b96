package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/** {@code mlops run}: validate data, train, record, gate, and on a pass register the model as {@code candidate}. */
public record RunRequest(String spec, List<String> overrides, String trackingUri, String out, String gitSha)
        implements Serializable {
    public RunRequest {
        Requests.requireSpec(spec);
        overrides = Requests.list(overrides);
    }

    public RunRequest(String spec) {
        this(spec, null, null, null, null);
    }

    public RunRequest withOverrides(List<String> o) {
        return new RunRequest(spec, o, trackingUri, out, gitSha);
    }

    public RunRequest withTrackingUri(String uri) {
        return new RunRequest(spec, overrides, uri, out, gitSha);
    }

    public RunRequest withOut(String dir) {
        return new RunRequest(spec, overrides, trackingUri, dir, gitSha);
    }

    public RunRequest withGitSha(String sha) {
        return new RunRequest(spec, overrides, trackingUri, out, sha);
    }
}
