package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.tracking.Tracker;

/**
 * Before the lock is taken and any server starts: the model a deploy names must exist. A {@code models:/} reference
 * is checked in the registry (when the caller gave one); anything else is checked by the target (a local file).
 */
final class ModelCheck {
    private ModelCheck() {
    }

    static void check(DeployConfig cfg, Tracker tracker, Target target) {
        String ref = cfg.modelRef();
        if (ref.startsWith("models:/") && tracker != null) {
            String rest = ref.substring("models:/".length());
            int at = rest.indexOf('@');
            int slash = rest.lastIndexOf('/');
            try {
                if (at > 0) {
                    String name = rest.substring(0, at);
                    String alias = rest.substring(at + 1);
                    if (tracker.findByAlias(name, alias).isEmpty()) {
                        throw new InputException("model " + name + " has no alias '" + alias + "'");
                    }
                } else if (slash > 0) {
                    tracker.getModelVersion(rest.substring(0, slash), rest.substring(slash + 1));
                } else {
                    throw new InputException("model reference " + ref + " is neither models:/<name>/<version> nor "
                            + "models:/<name>@<alias>");
                }
            } catch (InputException e) {
                String msg = e.getMessage() == null ? "" : e.getMessage();
                throw new InputException("deploy: " + msg + (msg.contains(tracker.describe()) ? ""
                        : " (registry " + tracker.describe() + ")") + "; nothing was started");
            } catch (RuntimeException e) {
                throw new InfraException("deploy: cannot check " + ref + " in the registry " + tracker.describe() + ": "
                        + e.getMessage(), e);
            }
        }
        target.preflight(cfg);
    }
}
