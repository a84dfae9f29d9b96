package dev.mlops.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;
import dev.mlops.engine.gate.Baseline;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.pipeline.RunContext;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.ReportFileSet;
import dev.mlops.engine.report.ReportFiles;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.RunRef;
import dev.mlops.engine.tracking.RunStatus;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.train.TrainOutputs;
import dev.mlops.engine.train.Trainers;
import dev.mlops.engine.train.TrainingResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pipeline operations behind {@link Engine}: validate data, train, gate, run. Each loads the spec, runs the
 * {@link Pipeline} steps in order, writes its files under the output folder (atomically) and returns its result.
 */
final class PipelineOperations {
    static final String TRAIN_JSON = "train.json";
    static final String RUN_JSON = "run.json";
    private static final String REPORTS = "reports";

    private final EngineContext ctx;

    PipelineOperations(EngineContext ctx) {
        this.ctx = ctx;
    }

    ValidateDataResult validateData(ValidateDataRequest req) {
        PipelineSpec spec = Specs.load(ctx, req.spec(), req.overrides());
        RunContext rc = Specs.runContext(ctx, BuildIdentity.of(ctx, null, null, null, null));
        Checked data = checkData(spec, Specs.outDir(ctx, spec, req.out()), rc, true);
        return new ValidateDataResult(data.passed(), data.passed() ? ExitCodes.OK : ExitCodes.FAILED,
                Report.of(data.check().report()), ReportPaths.of(data.files()));
    }

    /** Data checks first (a failure trains nothing), then training, then the tracked run; writes OUT/train.json. */
    TrainResult train(TrainRequest req) {
        PipelineSpec spec = Specs.load(ctx, req.spec(), req.overrides());
        Path out = Specs.outDir(ctx, spec, req.out());
        RunContext rc = Specs.trainingContext(ctx, spec.baseDir(), req.gitSha());
        Checked data = checkData(spec, out, rc, false);
        TrainResult.DataChecks checks = new TrainResult.DataChecks(data.passed(), ReportPaths.of(data.files()),
                data.passed() ? null : Report.of(data.check().report()));
        TrainResult result;
        if (!data.passed()) {
            ctx.log().warn("data checks failed: nothing trained (see " + data.files().markdown() + ")");
            result = new TrainResult(null, null, null, null, null, null, null, null, null, checks, out.toString(),
                    out.resolve(TRAIN_JSON).toString(), null, null, timings(data, null, 0), ExitCodes.FAILED);
        } else if (!req.track()) {
            Pipeline.Trained trained = Pipeline.train(spec, data.check().table(), out, rc);
            writeReports(data, out);
            result = trainResult(trained, null, null, checks, out, timings(data, trained.result(), 0));
        } else {
            String uri = Specs.trackingUri(ctx, spec, req.trackingUri());
            try (Tracker tracker = Specs.openTracker(ctx, spec, uri)) {
                probe(spec, tracker);
                Pipeline.Trained trained = Pipeline.train(spec, data.check().table(), out, rc);
                writeReports(data, out);
                long t0 = System.nanoTime();
                RunRef run = Pipeline.track(spec, tracker, trained, rc);
                tracker.endRun(run.runId(), RunStatus.FINISHED);
                result = trainResult(trained, run, Specs.runUrl(uri, run), checks, out,
                        timings(data, trained.result(), millisSince(t0)));
            }
        }
        AtomicFiles.writeString(out.resolve(TRAIN_JSON), Json.write(result) + "\n");
        return result;
    }

    private TrainResult trainResult(Pipeline.Trained t, RunRef run, String runUrl, TrainResult.DataChecks checks, Path out,
                                    Map<String, Long> timings) {
        TrainingResult r = t.result();
        return new TrainResult(run == null ? null : run.runId(), runUrl, t.files().model().toString(),
                ModelArtifact.sha256(t.files().model()), r.algorithm().id(), Trainers.asNumbers(r.algorithm(), r.chosen()),
                t.metrics(), r.trainRows(), r.testRows(), checks, out.toString(), out.resolve(TRAIN_JSON).toString(), t.files().metrics().toString(),
                t.files().card().toString(), timings, ExitCodes.OK);
    }

    GateResult gate(GateRequest req) {
        PipelineSpec spec = Specs.load(ctx, req.spec(), req.overrides());
        Path out = Specs.outDir(ctx, spec, req.out());
        Path metricsFile = req.metrics() != null ? ctx.resolve(req.metrics()) : out.resolve(TrainOutputs.METRICS_FILE);
        Map<String, Double> candidate = TrainOutputs.readMetrics(metricsFile);
        Optional<Baseline> baseline;
        try (Tracker t = Specs.openTracker(ctx, spec, Specs.trackingUri(ctx, spec, req.trackingUri()))) {
            baseline = req.baselineVersion() != null
                    ? Optional.of(Pipeline.baselineOfVersion(spec, t, req.baselineVersion()))
                    : Pipeline.baseline(spec, t);
        }
        CheckReport report = Pipeline.gate(spec, candidate, TrainOutputs.readNotes(metricsFile), baseline, ctx.log());
        ReportFileSet files = ReportFiles.write(report, out.resolve(REPORTS), "gate");
        ctx.log().info("reports: " + files.json().getParent());
        Report r = Report.of(report);
        return new GateResult(report.passed(), report.passed() ? ExitCodes.OK : ExitCodes.FAILED,
                baseline.map(Baseline::description).orElse(null), GateFailure.of(r), r, ReportPaths.of(files));
    }

    /**
     * Validate data, train, record the run, gate against the baseline, and on a pass register the model as the
     * {@code candidate}. Data first: bad input fails before anything, a tracking store included, is created.
     */
    RunResult run(RunRequest req) {
        long start = System.nanoTime();
        PipelineSpec spec = Specs.load(ctx, req.spec(), req.overrides());
        Path out = Specs.outDir(ctx, spec, req.out());
        RunContext rc = Specs.trainingContext(ctx, spec.baseDir(), req.gitSha());
        ctx.log().info("mlops run " + spec.name() + ": spec " + spec.file());
        Checked data = checkData(spec, out, rc, false);
        // The data report rides along only when it stopped the run; it is in reports/data.* either way.
        Report dataReport = data.passed() ? null : Report.of(data.check().report());
        RunResult result;
        if (!data.passed()) {
            result = new RunResult(RunResult.Stage.DATA, false, ExitCodes.FAILED, null, null, null, null, null, false,
                    null, null, new RunResult.Reports(ReportPaths.of(data.files()), null), dataReport, null,
                    out.toString(), timings(data, null, 0), secondsSince(start));
        } else {
            String uri = Specs.trackingUri(ctx, spec, req.trackingUri());
            try (Tracker tracker = Specs.openTracker(ctx, spec, uri)) {
                probe(spec, tracker);
                result = trainGateRegister(spec, tracker, uri, data, dataReport, out, rc, start);
            }
        }
        AtomicFiles.writeString(out.resolve(RUN_JSON), Json.write(result) + "\n");
        return result;
    }

    private RunResult trainGateRegister(PipelineSpec spec, Tracker tracker, String uri, Checked data, Report dataReport,
                                        Path out, RunContext rc, long start) {
        Log log = ctx.log();
        Pipeline.Trained trained = Pipeline.train(spec, data.check().table(), out, rc);
        writeReports(data, out);
        long trackStart = System.nanoTime();
        RunRef run = Pipeline.track(spec, tracker, trained, rc);
        boolean finished = false;
        try {
            Optional<Baseline> baseline = Pipeline.baseline(spec, tracker);
            CheckReport gate = Pipeline.gate(spec, trained.metrics(), trained.result().test().notes(), baseline, log);
            ReportFileSet gateFiles = ReportFiles.write(gate, out.resolve(REPORTS), "gate");
            for (Path p : List.of(gateFiles.json(), gateFiles.junitXml(), gateFiles.markdown(),
                    data.files().json(), data.files().junitXml(), data.files().markdown())) {
                tracker.logArtifact(run.runId(), p, REPORTS);
            }
            tracker.setTags(run.runId(), Map.of("mlops.gate", gate.passed() ? "passed" : "failed"));
            ModelVersion version = null;
            if (gate.passed()) {
                version = Pipeline.register(spec, tracker, run.runId(), ModelArtifact.sha256(trained.files().model()),
                        RegisterRequest.DEFAULT_ALIAS, rc);
            }
            tracker.endRun(run.runId(), RunStatus.FINISHED);
            finished = true;
            Report gateReport = Report.of(gate);
            return new RunResult(gate.passed() ? RunResult.Stage.REGISTERED : RunResult.Stage.GATE, gate.passed(),
                    gate.passed() ? ExitCodes.OK : ExitCodes.FAILED, run.runId(), Specs.runUrl(uri, run),
                    version == null ? null : versionWithAlias(version, RegisterRequest.DEFAULT_ALIAS),
                    Trainers.asNumbers(trained.result().algorithm(), trained.result().chosen()), trained.metrics(), true,
                    gate.passed(), GateFailure.of(gateReport),
                    new RunResult.Reports(ReportPaths.of(data.files()), ReportPaths.of(gateFiles)), dataReport,
                    gateReport, out.toString(), timings(data, trained.result(), millisSince(trackStart)),
                    secondsSince(start));
        } finally {
            if (!finished) {
                Pipeline.failRun(tracker, run.runId(), log);
            }
        }
    }

    /** The registered version as the result shows it: with the alias just pointed at it. */
    private static RunResult.Version versionWithAlias(ModelVersion v, String alias) {
        List<String> aliases = new java.util.ArrayList<>(v.aliases());
        if (!aliases.contains(alias)) {
            aliases.add(alias);
        }
        return new RunResult.Version(v.name(), v.version(), aliases, v.source());
    }

    /** The run id {@code OUT/train.json} names, with a message that says how to go on when there is none. */
    String runIdFromTrainJson(Path out) {
        Path file = out.resolve(TRAIN_JSON);
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": not found; run 'mlops train' first or pass --run-id");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read (" + e.getMessage() + "); pass --run-id");
        }
        if (n == null || !n.isObject()) {
            throw new InputException(file + ": expected the JSON object 'mlops train' writes; pass --run-id");
        }
        if (n.path("exitCode").asInt(0) != ExitCodes.OK) {
            throw new InputException(file + ": the last training produced no model (its data checks failed); "
                    + "fix the data and train again, or pass --run-id");
        }
        if (!n.path("runId").isTextual()) {
            throw new InputException(file + ": the training was not tracked (--no-track); pass --run-id");
        }
        return n.path("runId").asText();
    }

    // ---------------------------------------------------------------------------------------------------------

    private record Checked(Pipeline.DataCheck check, ReportFileSet files) {
        boolean passed() {
            return check.report().passed();
        }
    }

    /**
     * Runs the data checks. Failed checks are written at once; passed ones only when {@code writePassed}. A training
     * writes them once training has accepted the data ({@link #writeReports}): a silent or non-MLflow server, and input
     * that training refuses (a class with fewer rows than folds), fail before anything in {@code out} is replaced.
     */
    private Checked checkData(PipelineSpec spec, Path out, RunContext rc, boolean writePassed) {
        Pipeline.DataCheck check = Pipeline.checkData(spec, rc);
        Checked checked = new Checked(check, ReportFiles.paths(out.resolve(REPORTS), "data"));
        if (!check.report().passed() || writePassed) {
            writeReports(checked, out);
        }
        return checked;
    }

    private void writeReports(Checked data, Path out) {
        ReportFileSet files = ReportFiles.write(data.check().report(), out.resolve(REPORTS), "data");
        ctx.log().info("reports: " + files.json().getParent());
    }

    /** A read-only call: an unreachable server fails now, in seconds, not after a long training. */
    private void probe(PipelineSpec spec, Tracker tracker) {
        String model = spec.tracking().registeredModel();
        boolean known = tracker.registeredModelExists(model);
        ctx.log().info("tracking: " + tracker.describe() + " (registered model '" + model + "' "
                + (known ? "exists" : "is new: this is its first release") + ")");
    }

    private static Map<String, Long> timings(Checked data, TrainingResult trained, long trackingMillis) {
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("load", data.check().loadMillis());
        t.put("checks", data.check().checkMillis());
        if (trained != null) {
            for (String phase : List.of("split", "search", "refit", "evaluate")) {
                t.put(phase, trained.timingsMillis().getOrDefault(phase, 0L));
            }
            t.put("tracking", trackingMillis);
        }
        return t;
    }

    private static long millisSince(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    private static double secondsSince(long t0) {
        return millisSince(t0) / 1000.0;
    }
}
