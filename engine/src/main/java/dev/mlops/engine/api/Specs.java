package dev.mlops.engine.api;

import dev.mlops.engine.pipeline.RunContext;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.spec.SpecLoader;
import dev.mlops.engine.tracking.RunRef;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.tracking.Timeouts;
import dev.mlops.engine.tracking.Trackers;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Where an operation's files and tracking store are: the spec (relative to the working directory), the output folder,
 * and the tracking URI with the precedence every front end gets: the option, then the spec's {@code tracking.uri}
 * (relative to the spec), then {@code MLFLOW_TRACKING_URI} from the CI variables.
 */
final class Specs {
    static final String DEFAULT_OUT = "out";

    private Specs() {
    }

    static PipelineSpec load(EngineContext ctx, String spec, List<String> overrides) {
        return SpecLoader.load(ctx.resolve(spec), overrides);
    }

    /** {@code out} relative to the working directory, else {@code out/} next to the spec. */
    static Path outDir(EngineContext ctx, PipelineSpec spec, String out) {
        return out != null && !out.isBlank() ? ctx.resolve(out) : spec.baseDir().resolve(DEFAULT_OUT);
    }

    /** The tracking store's URI, folders made absolute; null when neither option, spec nor CI variable names one. */
    static String trackingUri(EngineContext ctx, PipelineSpec spec, String option) {
        if (option != null && !option.isBlank()) {
            return absolute(option.trim(), ctx.workDir());
        }
        if (spec != null) {
            return absolute(spec.tracking().uri(), spec.baseDir());
        }
        String env = ctx.variable("MLFLOW_TRACKING_URI");
        return env == null ? null : absolute(env, ctx.workDir());
    }

    static Tracker openTracker(EngineContext ctx, PipelineSpec spec, String uri) {
        Timeouts timeouts = spec == null ? Timeouts.DEFAULTS : spec.tracking().timeouts();
        return Trackers.open(uri, ctx.workDir(), ctx.trackingCredentials(), timeouts, ctx.log());
    }

    /** The MLflow UI page of a run on a tracking server; null for a local store. */
    static String runUrl(String trackingUri, RunRef run) {
        if (run == null || !isServer(trackingUri)) {
            return null;
        }
        String base = trackingUri.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://)[^/@]*@", "$1").replaceAll("/+$", "");
        return base + "/#/experiments/" + run.experimentId() + "/runs/" + run.runId();
    }

    static RunContext runContext(EngineContext ctx, BuildIdentity id) {
        return new RunContext(id.gitSha(), id.buildUrl(), id.who(), ctx.clock(), ctx.log());
    }

    /** For a training: with the build's reproducible time ({@link BuildIdentity#buildTime}). */
    static RunContext trainingContext(EngineContext ctx, java.nio.file.Path repoDir, String gitSha) {
        BuildIdentity id = BuildIdentity.of(ctx, repoDir, gitSha, null, null);
        return new RunContext(id.gitSha(), id.buildUrl(), id.who(), ctx.clock(), ctx.log(),
                BuildIdentity.buildTime(ctx, repoDir, id.gitSha()));
    }

    private static boolean isServer(String uri) {
        String lower = uri == null ? "" : uri.toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** URLs and absolute {@code file:} URIs as given; a folder (or {@code file:folder}) resolved against {@code base}. */
    private static String absolute(String uri, Path base) {
        String lower = uri.toLowerCase(Locale.ROOT);
        if (lower.startsWith("file:")) {
            String rest = uri.substring(5);
            return rest.startsWith("/") ? uri : base.resolve(rest).normalize().toString();
        }
        if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
            return uri;
        }
        return base.resolve(uri).normalize().toString();
    }
}
