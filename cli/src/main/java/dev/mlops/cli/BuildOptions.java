package dev.mlops.cli;

import picocli.CommandLine.Option;

/** Where a pipeline command writes, and which commit it records. */
public final class BuildOptions {
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: out/ next to the spec).")
    String out;

    @Option(names = "--git-sha", description = "Commit to record (default: GIT_COMMIT, GITHUB_SHA, CI_COMMIT_SHA, or git rev-parse HEAD).")
    String gitSha;
}
