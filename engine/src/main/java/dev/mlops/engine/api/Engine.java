package dev.mlops.engine.api;

import java.util.Objects;

/**
 * The one door into the engine: one method per pipeline step, each taking one immutable request and returning one
 * serializable result with a stable JSON form. Every front end (the CLI, Jenkins steps, the generated CI pipelines
 * through the CLI) calls these and only translates arguments and results.
 *
 * <p>Errors are the engine's exceptions with their exit codes ({@code InputException} 2, {@code InfraException} 3);
 * a failed data check, gate or release is a result with {@code exitCode() == 1}. The engine reads no environment,
 * prints nothing and never exits: everything comes through the {@link EngineContext}.
 */
public final class Engine {
    private final EngineContext ctx;
    private final PipelineOperations pipeline;
    private final RegistryOperations registry;
    private final ReleaseOperations releases;
    private final CiOperations ci;

    public Engine(EngineContext ctx) {
        this.ctx = Objects.requireNonNull(ctx, "ctx");
        this.pipeline = new PipelineOperations(ctx);
        this.registry = new RegistryOperations(ctx, pipeline);
        this.releases = new ReleaseOperations(ctx);
        this.ci = new CiOperations(ctx);
    }

    public EngineContext context() {
        return ctx;
    }

    /** Schema, nulls, ranges, duplicates, label balance and drift; reports to {@code OUT/reports/data.*}. */
    public ValidateDataResult validateData(ValidateDataRequest request) {
        return pipeline.validateData(request);
    }

    /** Data checks, then grid search, refit, evaluation and the tracked run; {@code OUT/train.json}. */
    public TrainResult train(TrainRequest request) {
        return pipeline.train(request);
    }

    /** The policy against the candidate's metrics and the baseline; reports to {@code OUT/reports/gate.*}. */
    public GateResult gate(GateRequest request) {
        return pipeline.gate(request);
    }

    /** A new registered version from a tracked run (default: the one in {@code OUT/train.json}). */
    public RegisterResult register(RegisterRequest request) {
        return registry.register(request);
    }

    /** Moves a registry alias to a version. */
    public PromoteResult promote(PromoteRequest request) {
        return registry.promote(request);
    }

    /** Validate data, train, record, gate, and on a pass register as {@code candidate}; {@code OUT/run.json}. */
    public RunResult run(RunRequest request) {
        return pipeline.run(request);
    }

    /** A blue-green release of a model version. */
    public ReleaseResult deploy(DeployRequest request) {
        return releases.deploy(request);
    }

    /** Back to an earlier release: a flip when it runs warm, else a blue-green redeploy. */
    public ReleaseResult rollback(RollbackRequest request) {
        return releases.rollback(request);
    }

    public StatusResult status(StatusRequest request) {
        return releases.status(request);
    }

    /** Stops a local app's servers and proxy. */
    public StopResult stop(StopRequest request) {
        return releases.stop(request);
    }

    /** GitHub Actions workflows or a GitLab pipeline for the spec, running these same operations through the CLI. */
    public GenerateResult generate(GenerateRequest request) {
        return ci.generate(request);
    }

    /** Markdown of earlier results (CI job summaries), or one value out of a result. */
    public SummaryResult summarize(SummaryRequest request) {
        return ci.summarize(request);
    }
}
