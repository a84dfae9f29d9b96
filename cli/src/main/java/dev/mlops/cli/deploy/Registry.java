package dev.mlops.cli.deploy;

import dev.mlops.engine.Log;
import dev.mlops.engine.tracking.Tracker;

/**
 * Opens the registry whose alias a deploy moves. The tracking backends are wired by the lead's CLI integration;
 * until then an alias given on the command line is reported as not moved instead of silently ignored.
 */
final class Registry {
    private Registry() {
    }

    static Tracker open(String alias, Log log) {
        if (alias != null) {
            log.warn("--alias " + alias + ": no model registry is configured for this command yet; the alias is not moved");
        }
        return null;
    }
}
