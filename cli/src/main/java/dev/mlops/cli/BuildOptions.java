package dev.mlops.cli;

import dev.mlops.engine.spec.PipelineSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where a spec-driven command writes, and which commit it records. */
public final class BuildOptions {
    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: out/ next to the spec).")
    Path out;

    @Option(names = "--git-sha", description = "Commit to record (default: GIT_COMMIT, GITHUB_SHA, or git rev-parse HEAD).")
    String gitSha;

    public Path outDir(PipelineSpec spec) {
        return out != null ? out : spec.baseDir().resolve("out");
    }
}
