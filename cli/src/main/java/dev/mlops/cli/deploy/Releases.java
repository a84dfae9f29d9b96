package dev.mlops.cli.deploy;

import dev.mlops.engine.api.ReleaseInfo;
import dev.mlops.engine.api.ReleaseResult;

/** The human line of a deploy or rollback result. */
final class Releases {
    private Releases() {
    }

    static String text(ReleaseResult r) {
        ReleaseInfo rel = r.release();
        if (rel == null) {
            return "no release recorded";
        }
        return rel.kind() + " " + rel.id() + ": " + rel.app() + " (" + rel.environment() + ") " + rel.modelName() + " v"
                + rel.modelVersion() + " on " + rel.color() + ": " + rel.outcome()
                + (rel.reason() == null ? "" : " (" + rel.reason() + ")")
                + "; traffic on " + (r.trafficOn() == null ? "nothing" : r.trafficOn());
    }
}
