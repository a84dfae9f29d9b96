package dev.mlops.engine.tracking;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code mlflow.*} system tags of a run, filled in the same way whichever store records it, as MLflow's own
 * clients set them ({@code mlflow/tracking/context/default_context.py}: user, source name and type; the git
 * context adds {@code mlflow.source.git.commit}, which callers pass). {@code mlflow.runName} is added by the store
 * (MLflow's server does it itself from {@code run_name}).
 */
final class SystemTags {
    static final String USER = "mlflow.user";
    static final String SOURCE_NAME = "mlflow.source.name";
    static final String SOURCE_TYPE = "mlflow.source.type";
    static final String RUN_NAME = "mlflow.runName";
    static final String DEFAULT_USER = "mlops";

    private SystemTags() {
    }

    /** {@code tags} with blank system tags dropped and the defaults filled in; the caller's values win. */
    static Map<String, String> complete(Map<String, String> tags) {
        Map<String, String> out = new LinkedHashMap<>();
        tags.forEach((k, v) -> {
            if (!(k.startsWith("mlflow.") && (v == null || v.isBlank()))) {
                out.put(k, v);
            }
        });
        out.putIfAbsent(USER, DEFAULT_USER);
        out.putIfAbsent(SOURCE_TYPE, "LOCAL");
        out.putIfAbsent(SOURCE_NAME, "mlops");
        return out;
    }
}
