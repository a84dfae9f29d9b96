package dev.mlops.engine.pipeline;

import dev.mlops.engine.Log;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Facts about the build that the front end knows and the engine records: the commit being built, who/what ran it,
 * where its log lives, and the build's reproducible time. The engine never looks these up itself.
 *
 * @param buildTime the time recorded as the model's training time (the front end's {@code SOURCE_DATE_EPOCH}, the
 *                  commit time, or a fixed value), so an identical build gives identical files; null for the clock's
 *                  current instant
 */
public record RunContext(String gitSha, String buildUrl, String user, Clock clock, Log log, Instant buildTime) {
    public RunContext {
        gitSha = gitSha == null || gitSha.isBlank() ? "unknown" : gitSha;
        buildUrl = buildUrl == null ? "" : buildUrl;
        user = user == null || user.isBlank() ? "unknown" : user;
        clock = Objects.requireNonNull(clock);
        log = Objects.requireNonNull(log);
    }

    /** A context without a build time: trainings are stamped with the clock's instant. */
    public RunContext(String gitSha, String buildUrl, String user, Clock clock, Log log) {
        this(gitSha, buildUrl, user, clock, log, null);
    }
}
