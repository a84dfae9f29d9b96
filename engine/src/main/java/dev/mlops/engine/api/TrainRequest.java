package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops train}: check the data, train, evaluate, write {@code OUT/model.tribuo}, {@code metrics.json},
 * {@code model-card.md} and {@code train.json}, and (unless {@code track} is false) record the run.
 */
public record TrainRequest(String spec, List<String> overrides, String trackingUri, String out, String gitSha,
                           boolean track) implements Serializable {
    public TrainRequest {
        Requests.requireSpec(spec);
        overrides = Requests.list(overrides);
    }

    public TrainRequest(String spec) {
        this(spec, null, null, null, null, true);
    }

    public TrainRequest withOverrides(List<String> o) {
        return new TrainRequest(spec, o, trackingUri, out, gitSha, track);
    }

    public TrainRequest withTrackingUri(String uri) {
        return new TrainRequest(spec, overrides, uri, out, gitSha, track);
    }

    public TrainRequest withOut(String dir) {
        return new TrainRequest(spec, overrides, trackingUri, dir, gitSha, track);
    }

    public TrainRequest withGitSha(String sha) {
        return new TrainRequest(spec, overrides, trackingUri, out, sha, track);
    }

    public TrainRequest withTrack(boolean t) {
        return new TrainRequest(spec, overrides, trackingUri, out, gitSha, t);
    }
}
