package dev.mlops.engine.pipeline;

import dev.mlops.engine.Log;

import java.time.Clock;
import java.util.Objects;

/**
 * Facts about the build that the front end knows and the engine records: the commit being built, who/what ran it,
 * and where its log lives. The engine never looks these up itself.
 */
public record RunContext(String gitSha, String buildUrl, String user, Clock clock, Log log) {
    public RunContext {
        gitSha = gitSha == null || gitSha.isBlank() ? "unknown" : gitSha;
        buildUrl = buildUrl == null ? "" : buildUrl;
        user = user == null || user.isBlank() ? "unknown" : user;
        clock = Objects.requireNonNull(clock);
        log = Objects.requireNonNull(log);
    }
}
