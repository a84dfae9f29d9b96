package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mlops.engine.deploy.Release;

import java.io.Serializable;

/**
 * One ledger entry: {@code kind} deploy or rollback, the environment, the color ({@code blue}/{@code green}), what
 * it serves, who released it from which build and commit, ISO-8601 UTC times, the {@code outcome} (IN_PROGRESS,
 * SUCCEEDED, FAILED, ROLLED_BACK, INTERRUPTED) with its reason, the release it replaced and the alias it moved.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"id", "kind", "app", "environment", "color", "image", "modelName", "modelVersion", "modelRef",
        "gitSha", "who", "buildUrl", "startedAt", "finishedAt", "outcome", "reason", "previousRelease", "alias"})
public record ReleaseInfo(String id, String kind, String app, String environment, String color, String image,
                          String modelName, String modelVersion, String modelRef, String gitSha, String who,
                          String buildUrl, String startedAt, String finishedAt, String outcome, String reason,
                          String previousRelease, String alias) implements Serializable {

    static ReleaseInfo of(Release r, String environment) {
        if (r == null) {
            return null;
        }
        return new ReleaseInfo(r.id(), r.kind(), r.app(), environment, r.color() == null ? null : r.color().id(),
                r.image(), r.modelName(), r.modelVersion(), r.modelRef(), blankToNull(r.gitSha()), r.who(),
                blankToNull(r.buildUrl()),
                r.startedAt(), r.finishedAt(), r.outcome() == null ? null : r.outcome().name(), r.reason(),
                r.previousRelease(), r.alias());
    }

    /** The ledger keeps "" for an unknown commit or build URL; results say null, like every absent value. */
    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
