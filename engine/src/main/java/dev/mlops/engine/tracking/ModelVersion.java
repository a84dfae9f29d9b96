package dev.mlops.engine.tracking;

import java.util.List;
import java.util.Map;

/** A registered model version. {@code tags} carries at least {@code model_sha256} when this project registered it. */
public record ModelVersion(String name, String version, String runId, String source,
                           Map<String, String> tags, List<String> aliases) {
    public ModelVersion {
        tags = Map.copyOf(tags);
        aliases = List.copyOf(aliases);
    }

    /** Tag holding the hex SHA-256 of the model file, checked by the server before it serves the model. */
    public static final String SHA256_TAG = "model_sha256";
}
