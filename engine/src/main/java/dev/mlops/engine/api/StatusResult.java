package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;

/**
 * An app's state: the active color (null before the first deploy), what each color runs, the ledger (newest first),
 * the lock (null when free) and what the public endpoint answers ({@code endpoint} null when nothing is active).
 * Exit code 1 when something is deployed but the public endpoint does not answer 2xx (a dead proxy, a dead color):
 * the slots alone would say "ready" while users get errors.
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
    @JsonPropertyOrder({"color", "releaseId", "image", "modelName", "modelVersion", "desiredReplicas", "readyReplicas",
            "scaleDownAt", "scaleDownTo"})
    public record Slot(String color, String releaseId, String image, String modelName, String modelVersion,
                       int desiredReplicas, int readyReplicas, String scaleDownAt, Integer scaleDownTo)
            implements Serializable {
    }

    /** Times are ISO-8601 UTC. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"holder", "buildUrl", "acquiredAt", "expiresAt", "abortRequestedBy"})
    public record Lock(String holder, String buildUrl, String acquiredAt, String expiresAt, String abortRequestedBy)
            implements Serializable {
    }

    /**
     * One probe of {@code /version} from where the command ran: {@code reachable} when it answered 2xx,
     * {@code modelVersion} what it says it serves, {@code status} the HTTP status (-1: no answer), {@code error} why not.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"url", "reachable", "modelVersion", "status", "error"})
    public record Endpoint(String url, boolean reachable, String modelVersion, int status, String error)
            implements Serializable {
    }
}
