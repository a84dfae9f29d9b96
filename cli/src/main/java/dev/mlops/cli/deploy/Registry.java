package dev.mlops.cli.deploy;

import dev.mlops.cli.Main;
import dev.mlops.engine.InputException;
import dev.mlops.engine.tracking.Tracker;

/** Opens the registry whose alias a deploy or rollback moves; none when no alias is asked for. */
final class Registry {
    private Registry() {
    }

    /** For a deploy: a registry only when an alias is to be moved. */
    static Tracker open(String alias, String trackingUri) {
        if (alias == null) {
            return null;
        }
        if (trackingUri == null || trackingUri.isBlank()) {
            throw new InputException("--alias " + alias + " moves a registry alias: give --tracking-uri or set MLFLOW_TRACKING_URI");
        }
        return Main.openTracker(trackingUri);
    }

    /**
     * For a rollback: the alias to move back is usually the one the release being undone moved, which only the
     * ledger knows, so the registry is opened whenever one is configured.
     */
    static Tracker forRollback(String alias, String trackingUri) {
        if (trackingUri == null || trackingUri.isBlank()) {
            return open(alias, trackingUri);
        }
        return Main.openTracker(trackingUri);
    }
}
