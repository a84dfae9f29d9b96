package dev.mlops.engine.api;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.Tracker;

import java.util.Optional;

/** The registry operations behind {@link Engine}: register a tracked run's model, move an alias. */
final class RegistryOperations {
    private final EngineContext ctx;
    private final PipelineOperations pipeline;

    RegistryOperations(EngineContext ctx, PipelineOperations pipeline) {
        this.ctx = ctx;
        this.pipeline = pipeline;
    }

    RegisterResult register(RegisterRequest req) {
        PipelineSpec spec = Specs.load(ctx, req.spec(), req.overrides());
        String runId = req.runId() != null ? req.runId()
                : pipeline.runIdFromTrainJson(Specs.outDir(ctx, spec, req.out()));
        var rc = Specs.runContext(ctx, BuildIdentity.of(ctx, spec.baseDir(), null, null, null));
        try (Tracker t = Specs.openTracker(ctx, spec, Specs.trackingUri(ctx, spec, req.trackingUri()))) {
            ModelVersion v = Pipeline.registerRun(spec, t, runId, req.alias(), rc);
            return new RegisterResult(v.name(), v.version(), req.alias(), runId, v.tags().get(ModelVersion.SHA256_TAG),
                    ExitCodes.OK);
        }
    }

    PromoteResult promote(PromoteRequest req) {
        if (req.alias() == null || req.alias().isBlank()) {
            throw new InputException("promote needs an alias to move, e.g. --alias production");
        }
        if ((req.version() == null) == (req.fromAlias() == null)) {
            throw new InputException("promote needs exactly one of a version (--version N) or an alias to copy "
                    + "(--from-alias ALIAS)");
        }
        PipelineSpec spec = Specs.load(ctx, req.spec(), req.overrides());
        String name = req.model() != null ? req.model() : spec.tracking().registeredModel();
        try (Tracker t = Specs.openTracker(ctx, spec, Specs.trackingUri(ctx, spec, req.trackingUri()))) {
            ModelVersion target = req.version() != null ? t.getModelVersion(name, req.version())
                    : t.findByAlias(name, req.fromAlias()).orElseThrow(() ->
                    new InputException("registered model '" + name + "' has no alias '" + req.fromAlias() + "'"));
            Optional<ModelVersion> previous = t.findByAlias(name, req.alias());
            t.setAlias(name, req.alias(), target.version());
            ctx.log().info("alias '" + req.alias() + "' of " + name + " -> version " + target.version()
                    + previous.map(p -> " (was version " + p.version() + ")").orElse(" (new alias)"));
            return new PromoteResult(name, req.alias(), target.version(),
                    previous.map(ModelVersion::version).orElse(null), ExitCodes.OK);
        }
    }
}
