package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;

/**
 * An app's state: the active color (null before the first deploy), what each color runs, the ledger (newest first),
 * the lock (null when free) and what the public endpoint answers ({@code endpoint} null when nothing is active).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"app", "environment", "target", "active", "slots", "releases", "lock", "endpoint", "exitCode"})
public record StatusResult(String app, String environment, String target, String active, List<Slot> slots,
                           List<ReleaseInfo> releases, Lock lock, Endpoint endpoint, int exitCode) implements EngineResult {
    public StatusResult {
        slots = Results.list(slots);
        releases = Results.list(releases);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"color", "releaseId", "image", "modelName", "modelVersion", "desiredReplicas", "readyReplicas"})
    public record Slot(String color, String releaseId, String image, String modelName, String modelVersion,
                       int desiredReplicas, int readyReplicas) implements Serializable {
    }

    /** Times are ISO-8601 UTC. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"holder", "buildUrl", "acquiredAt", "expiresAt"})
    public record Lock(String holder, String buildUrl, String acquiredAt, String expiresAt) implements Serializable {
    }

    /** {@code modelVersion}: what the endpoint says it serves (null when unreachable). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"url", "reachable", "modelVersion"})
    public record Endpoint(String url, boolean reachable, String modelVersion) implements Serializable {
    }
}
