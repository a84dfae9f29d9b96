package dev.mlops.engine.api;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.Color;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.DeployFailedException;
import dev.mlops.engine.deploy.DeployStatus;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.Outcome;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.RollbackConfig;
import dev.mlops.engine.deploy.ServerClient;
import dev.mlops.engine.deploy.SlotState;
import dev.mlops.engine.deploy.SmokeSpec;
import dev.mlops.engine.deploy.Target;
import dev.mlops.engine.spec.DeploySpec;
import dev.mlops.engine.tracking.Tracker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static dev.mlops.engine.api.ReleaseTarget.first;

/**
 * The release operations behind {@link Engine}: deploy, rollback, status, stop. Each resolves the target and the
 * release settings (request, then spec, then {@link dev.mlops.engine.deploy.DeployDefaults}) before touching
 * anything, then runs {@link BlueGreen}. A refused release is a result with exit code 1, not an exception.
 */
final class ReleaseOperations {
    private final EngineContext ctx;

    ReleaseOperations(EngineContext ctx) {
        this.ctx = ctx;
    }

    ReleaseResult deploy(DeployRequest req) {
        ReleaseTarget where = ReleaseTarget.resolve(req, ctx);
        DeployConfig cfg = deployConfig(req, where);
        return release(req, where, cfg.alias() != null, cfg.alias(), bg -> bg.deploy(cfg));
    }

    ReleaseResult rollback(RollbackRequest req) {
        ReleaseTarget where = ReleaseTarget.resolve(req, ctx);
        RollbackConfig cfg = rollbackConfig(req, where);
        // The alias to move back is usually the one the release being undone moved, which only the ledger knows,
        // so the registry is opened whenever one is configured.
        return release(req, where, where.trackingUri() != null || cfg.alias() != null, cfg.alias(),
                bg -> bg.rollback(cfg));
    }

    StatusResult status(StatusRequest req) {
        ReleaseTarget where = ReleaseTarget.resolve(req, ctx);
        try (Target target = where.open(req, ctx)) {
            DeployStatus s = blueGreen(target, null).status(where.app());
            StatusResult.Endpoint endpoint = null;
            if (s.active() != null) {
                ServerClient.Reply r = ctx.serverClient().get(target.activeEndpoint(), "/ready");
                endpoint = new StatusResult.Endpoint(target.activeEndpoint().toString(), r.ok(), r.modelVersion());
            }
            List<StatusResult.Slot> slots = s.slots().stream().map(sl -> new StatusResult.Slot(sl.color().id(),
                    sl.releaseId(), sl.image(), sl.modelName(), sl.modelVersion(), sl.desiredReplicas(),
                    sl.readyReplicas())).toList();
            List<ReleaseInfo> releases = s.releases().stream().map(r -> ReleaseInfo.of(r, where.environment())).toList();
            StatusResult.Lock lock = s.lock() == null ? null : new StatusResult.Lock(s.lock().holder(),
                    s.lock().buildUrl(), Results.string(s.lock().acquiredAt()), Results.string(s.lock().expiresAt()));
            return new StatusResult(where.app(), where.environment(), s.target(),
                    s.active() == null ? null : s.active().id(), slots, releases, lock, endpoint, ExitCodes.OK);
        }
    }

    StopResult stop(StopRequest req) {
        ReleaseTarget where = ReleaseTarget.resolve(req, ctx);
        if (where.kubernetes()) {
            throw new InputException("stop is for the local target; on Kubernetes delete the app's Deployments and "
                    + "Services with kubectl (see k8s/README.md)");
        }
        try (Target target = where.open(req, ctx)) {
            List<String> stopped = new ArrayList<>();
            for (Color c : Color.values()) {
                target.slot(c).filter(sl -> sl.readyReplicas() > 0).ifPresent(sl -> stopped.add(c.id()));
            }
            if (target.activeColor().isPresent()) {
                stopped.add("proxy");
            }
            ((LocalTarget) target).stopAll();
            ctx.log().info("stopped " + where.app() + " (" + (stopped.isEmpty() ? "nothing was running"
                    : String.join(", ", stopped)) + "); ledger kept");
            return new StopResult(where.app(), where.environment(), stopped, ExitCodes.OK);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Opens the target (and the registry when {@code registry}), runs {@code action}, and turns its release, or the
     * refused release of a {@link DeployFailedException}, into a result. Every operation that moves traffic
     * (deploy, rollback, and any later one such as abort) goes through here.
     */
    private ReleaseResult release(TargetRequest<?> req, ReleaseTarget where, boolean registry, String alias,
                                  Function<BlueGreen, Release> action) {
        if (registry && where.trackingUri() == null) {
            throw new InputException("alias '" + alias + "' moves a registry alias: give --tracking-uri, a spec with "
                    + "tracking.uri, or set MLFLOW_TRACKING_URI");
        }
        try (Target target = where.open(req, ctx);
             Tracker tracker = registry ? Specs.openTracker(ctx, where.spec(), where.trackingUri()) : null) {
            Release r;
            try {
                r = action.apply(blueGreen(target, tracker));
            } catch (DeployFailedException e) {
                ctx.log().warn("release refused: " + e.getMessage());
                r = e.release();
            }
            String trafficOn;
            try {
                trafficOn = target.activeColor().map(Color::id).orElse(null);
            } catch (RuntimeException e) {
                ctx.log().warn("could not read which color serves after the release: " + e.getMessage());
                trafficOn = null;
            }
            boolean ok = r != null && r.outcome() == Outcome.SUCCEEDED;
            if (ok) {
                ctx.log().info(r.kind() + " " + r.modelName() + " v" + r.modelVersion() + " on " + r.color().id()
                        + " as release " + r.id() + " (" + where.environment() + ")");
            }
            return new ReleaseResult(ReleaseInfo.of(r, where.environment()), target.describe(), trafficOn,
                    ok ? ExitCodes.OK : ExitCodes.FAILED);
        }
    }

    private BlueGreen blueGreen(Target target, Tracker tracker) {
        return new BlueGreen(target, tracker, ctx.serverClient(), ctx.log(), ctx.clock(), ctx.sleeper());
    }

    /** A deploy's settings: the request, then the spec, then the defaults (in DeployConfig and SmokeSpec). */
    DeployConfig deployConfig(DeployRequest req, ReleaseTarget where) {
        DeploySpec d = where.deploySpec();
        BuildIdentity id = BuildIdentity.of(ctx, where.baseDir(ctx), req.gitSha(), req.buildUrl(), req.who());
        String modelName = first(req.modelName(), where.spec() == null ? null : where.spec().tracking().registeredModel());
        if (modelName == null) {
            throw new InputException("a model name is required: --model-name, or a spec (-f) with "
                    + "tracking.registeredModel or name");
        }
        String image = first(req.image(), d == null ? null : d.imageFor(id.gitSha()));
        if (image == null) {
            if (where.kubernetes()) {
                throw new InputException("an image is required on Kubernetes: --image, or deploy.image in the spec");
            }
            image = "local";
        }
        // The alias follows traffic by default (production or staging) whenever there is a registry to move it in.
        String alias = first(req.alias(), where.trackingUri() != null ? where.environment() : null);
        return new DeployConfig(where.app(), image, modelName, req.modelVersion(), req.modelRef(), id.gitSha(),
                first(req.replicas(), d == null ? null : d.replicas()),
                first(req.warmReplicas(), d == null ? null : d.warmReplicas()),
                first(req.readyTimeout(), d == null ? null : Duration.ofSeconds(d.readyTimeoutSeconds())),
                smoke(req, d), first(req.verifyWindow(), d == null ? null : Duration.ofSeconds(d.verifySeconds())),
                req.verifyInterval(), first(req.maxErrorRate(), d == null ? null : d.maxErrorRate()),
                first(req.history(), d == null ? null : d.history()), alias, id.who(), id.buildUrl(), req.lockTtl());
    }

    /** A rollback's settings; its verify window is {@code deploy.rollbackVerifySeconds}, not the deploy's. */
    RollbackConfig rollbackConfig(RollbackRequest req, ReleaseTarget where) {
        DeploySpec d = where.deploySpec();
        BuildIdentity id = BuildIdentity.of(ctx, where.baseDir(ctx), null, req.buildUrl(), req.who());
        return new RollbackConfig(where.app(), req.to(),
                first(req.replicas(), d == null ? null : d.replicas()),
                first(req.warmReplicas(), d == null ? null : d.warmReplicas()),
                first(req.readyTimeout(), d == null ? null : Duration.ofSeconds(d.readyTimeoutSeconds())),
                smoke(req, d), first(req.verifyWindow(), d == null ? null : Duration.ofSeconds(d.rollbackVerifySeconds())),
                req.verifyInterval(), first(req.maxErrorRate(), d == null ? null : d.maxErrorRate()),
                first(req.history(), d == null ? null : d.history()), req.alias(), id.who(), id.buildUrl(),
                req.lockTtl());
    }

    private SmokeSpec smoke(ReleaseRequest<?> req, DeploySpec d) {
        Path samples = req.smokeSamples() != null ? ctx.resolve(req.smokeSamples()) : d == null ? null : d.smokeSamples();
        Duration budget = first(req.latencyBudget(),
                d == null ? null : Duration.ofMillis(Math.round(d.smokeLatencyBudgetMs())));
        if (samples == null) {
            return new SmokeSpec(null, null, req.minAgreement(), budget, req.smokeTimeout());
        }
        return SmokeSpec.fromCsv(samples, req.minAgreement(), budget, req.smokeTimeout());
    }
}
