package dev.mlops.engine.pipeline;

import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.CsvReader;
import dev.mlops.engine.data.DataFingerprint;
import dev.mlops.engine.data.DataValidator;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.gate.Baseline;
import dev.mlops.engine.gate.Gate;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.ReportFiles;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.RunInfo;
import dev.mlops.engine.tracking.RunRef;
import dev.mlops.engine.tracking.RunStatus;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.train.TrainOutputs;
import dev.mlops.engine.train.TrainRequest;
import dev.mlops.engine.train.TrainResult;
import dev.mlops.engine.train.Trainers;
import dev.mlops.engine.train.Training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The steps of {@code mlops run}, each also callable alone: data checks, training, baseline lookup, gate,
 * registration. Every step takes its inputs as values and reports through the context's {@link Log}; files are
 * written atomically under the output folder the caller chose.
 */
public final class Pipeline {
    /** Artifact folder of a run that holds the model file; registered versions point at it. */
    public static final String MODEL_ARTIFACT_DIR = "model";
    public static final String CANDIDATE_ALIAS = "candidate";

    private Pipeline() {
    }

    /** Reads the training data (and the reference, when the spec names one) and checks it. */
    public static DataCheck checkData(PipelineSpec spec, RunContext ctx) {
        Log log = ctx.log();
        long t0 = System.nanoTime();
        Table table = CsvReader.read(spec.data().path(), spec.data().schema(), log);
        long loadMillis = (System.nanoTime() - t0) / 1_000_000;
        log.info("data: " + table.rowCount() + " rows x " + table.columns().size() + " columns from " + spec.data().path());
        Optional<Table> reference = Optional.empty();
        if (spec.data().reference() != null) {
            reference = Optional.of(CsvReader.read(spec.data().reference(), spec.data().schema(), log));
            log.info("reference: " + reference.get().rowCount() + " rows from " + spec.data().reference());
        }
        long t1 = System.nanoTime();
        CheckReport report = DataValidator.validate(table, spec.data(), reference, log);
        long checkMillis = (System.nanoTime() - t1) / 1_000_000;
        log.info("data checks: " + (report.passed() ? "passed" : "FAILED") + " (" + report.checks().size() + " checks, "
                + report.failures().size() + " failed, " + report.warnings().size() + " warnings)");
        return new DataCheck(table, report, loadMillis, checkMillis);
    }

    /** The data as read, its check report, and how long reading and checking took. */
    public record DataCheck(Table table, CheckReport report, long loadMillis, long checkMillis) {
    }

    /** Trains on an already-checked table and writes model, metrics and card to {@code outDir}. */
    public static Trained train(PipelineSpec spec, Table table, Path outDir, RunContext ctx) {
        String dataSha = DataFingerprint.sha256(spec.data().path());
        TrainRequest request = new TrainRequest(table, spec.data(), spec.model(), spec.tracking().registeredModel(),
                ctx.gitSha(), dataSha, ctx.clock(), ctx.buildTime());
        TrainResult result = Training.run(request, ctx.log());
        TrainOutputs.Written files = TrainOutputs.write(result, outDir);
        Map<String, Double> metrics = TrainOutputs.scalars(result, ModelArtifact.load(files.model()).sizeBytes());
        ctx.log().info("trained " + result.algorithm().id() + " " + Trainers.describe(result.algorithm(),
                result.chosen()) + ": "
                + summary(metrics) + " on " + result.testRows() + " test rows");
        return new Trained(result, files, metrics, dataSha);
    }

    public record Trained(TrainResult result, TrainOutputs.Written files, Map<String, Double> metrics, String dataSha256) {
    }

    /**
     * The model holding the gate's baseline alias (default {@code production}) and the metrics of the run that
     * produced it; empty on a first release (no registered model yet, or nobody holds the alias).
     */
    public static Optional<Baseline> baseline(PipelineSpec spec, Tracker tracker) {
        String model = spec.tracking().registeredModel();
        String alias = spec.gate().baselineAlias();
        if (!tracker.registeredModelExists(model)) {
            return Optional.empty();
        }
        Optional<ModelVersion> holder = tracker.findByAlias(model, alias);
        if (holder.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(baselineOf(holder.get(), "@" + alias, tracker));
    }

    /** A named registered version as the baseline (e.g. {@code mlops gate --baseline-version 4}). */
    public static Baseline baselineOfVersion(PipelineSpec spec, Tracker tracker, String version) {
        return baselineOf(tracker.getModelVersion(spec.tracking().registeredModel(), version), "pinned", tracker);
    }

    private static Baseline baselineOf(ModelVersion v, String how, Tracker tracker) {
        RunInfo run = tracker.getRun(v.runId());
        return new Baseline(v.name() + " v" + v.version() + " (" + how + ", run " + v.runId() + ")", run.metrics());
    }

    /** The gate itself: pure; the caller writes the report. */
    public static CheckReport gate(PipelineSpec spec, Map<String, Double> candidate, Optional<Baseline> baseline, Log log) {
        CheckReport report = Gate.check(spec.gate(), candidate, baseline);
        log.info("gate: " + (report.passed() ? "passed" : "FAILED") + " against "
                + baseline.map(Baseline::description).orElse("no baseline (first release)"));
        return report;
    }

    /** Registers the run's model as a new version and points {@code alias} at it. */
    public static ModelVersion register(PipelineSpec spec, Tracker tracker, String runId, String modelSha256,
                                        String alias, RunContext ctx) {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put(ModelVersion.SHA256_TAG, modelSha256);
        tags.put("git_sha", ctx.gitSha());
        if (!ctx.buildUrl().isEmpty()) {
            tags.put("build_url", ctx.buildUrl());
        }
        ModelVersion v = tracker.createModelVersion(spec.tracking().registeredModel(), runId, MODEL_ARTIFACT_DIR, tags);
        if (alias != null) {
            tracker.setAlias(v.name(), alias, v.version());
        }
        ctx.log().info("registered " + v.name() + " version " + v.version() + (alias != null ? " as @" + alias : ""));
        return v;
    }

    /**
     * Registers the model a tracked run logged (its {@code model/} artifact): downloads it, checks it is a model this
     * project can load, and tags the new version with the file's SHA-256. The download is removed afterwards.
     */
    public static ModelVersion registerRun(PipelineSpec spec, Tracker tracker, String runId, String alias, RunContext ctx) {
        Path local;
        try {
            local = Files.createTempDirectory("mlops-register-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary folder: " + e.getMessage(), e);
        }
        try {
            Path model = tracker.downloadArtifact(runId, MODEL_ARTIFACT_DIR + "/" + TrainOutputs.MODEL_FILE, local);
            String sha = ModelArtifact.load(model).sha256();
            return register(spec, tracker, runId, sha, alias, ctx);
        } finally {
            deleteQuietly(local);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // a leftover temp folder is harmless; the registration itself succeeded or failed on its own
        }
    }

    /**
     * validate data, train, record the run, gate against the baseline, and on a pass register the model as the
     * {@code candidate}. Reports are written under {@code outDir/reports}; {@code outDir/run.json} summarises.
     */
    public static RunOutcome run(PipelineSpec spec, Function<Log, Tracker> openTracker, Path outDir, RunContext ctx) {
        Log log = ctx.log();
        long start = System.nanoTime();
        Path reports = outDir.resolve("reports");
        log.info("mlops run " + spec.name() + ": spec " + spec.file());

        // Data first: bad input must fail before anything (a tracking store included) is created.
        DataCheck data = checkData(spec, ctx);
        var dataFiles = ReportFiles.write(data.report(), reports, "data");
        if (!data.report().passed()) {
            RunOutcome out = new RunOutcome(RunOutcome.Stage.DATA, ExitCodes.FAILED, null, null, null,
                    data.report(), null, Map.of(), timings(data, null, 0), outDir, elapsed(start));
            writeSummary(out);
            return out;
        }

        try (Tracker tracker = openTracker.apply(log)) {
            // A read-only probe: an unreachable server fails now, in seconds, not after a long training.
            boolean known = tracker.registeredModelExists(spec.tracking().registeredModel());
            log.info("tracking: " + tracker.describe() + " (registered model '" + spec.tracking().registeredModel()
                    + "' " + (known ? "exists" : "is new: this is its first release") + ")");
            return trainGateRegister(spec, tracker, data, dataFiles, outDir, ctx, start);
        }
    }

    private static RunOutcome trainGateRegister(PipelineSpec spec, Tracker tracker, DataCheck data,
                                                dev.mlops.engine.report.ReportPaths dataFiles, Path outDir,
                                                RunContext ctx, long start) {
        Log log = ctx.log();
        Path reports = outDir.resolve("reports");
        Trained trained = train(spec, data.table(), outDir, ctx);
        long trackStart = System.nanoTime();
        RunRef run = track(spec, tracker, trained, ctx);
        boolean finished = false;
        try {
            Optional<Baseline> baseline = baseline(spec, tracker);
            CheckReport gate = gate(spec, trained.metrics(), baseline, log);
            var gateFiles = ReportFiles.write(gate, reports, "gate");
            for (Path p : List.of(gateFiles.json(), gateFiles.junitXml(), gateFiles.markdown(),
                    dataFiles.json(), dataFiles.junitXml(), dataFiles.markdown())) {
                tracker.logArtifact(run.runId(), p, "reports");
            }
            tracker.setTags(run.runId(), Map.of("mlops.gate", gate.passed() ? "passed" : "failed"));
            ModelVersion version = null;
            if (gate.passed()) {
                version = register(spec, tracker, run.runId(), ModelArtifact.sha256(trained.files().model()), CANDIDATE_ALIAS, ctx);
            }
            tracker.endRun(run.runId(), RunStatus.FINISHED);
            finished = true;
            RunOutcome out = new RunOutcome(gate.passed() ? RunOutcome.Stage.REGISTERED : RunOutcome.Stage.GATE,
                    gate.passed() ? ExitCodes.OK : ExitCodes.FAILED, run.runId(), version, gate, data.report(),
                    trained.result().chosen(), trained.metrics(),
                    timings(data, trained.result(), (System.nanoTime() - trackStart) / 1_000_000), outDir, elapsed(start));
            writeSummary(out);
            return out;
        } finally {
            if (!finished) {
                endQuietly(tracker, run.runId(), log);
            }
        }
    }

    /**
     * Records a training as a RUNNING run: tags (git SHA, user, data hash, build URL), params, metrics, and the
     * model, metrics and card as artifacts. The caller ends the run.
     */
    public static RunRef track(PipelineSpec spec, Tracker tracker, Trained trained, RunContext ctx) {
        Map<String, String> runTags = new LinkedHashMap<>();
        runTags.put("git_sha", ctx.gitSha());
        runTags.put("mlflow.source.git.commit", ctx.gitSha());
        runTags.put("mlflow.user", ctx.user());
        runTags.put("data_sha256", trained.dataSha256());
        if (!ctx.buildUrl().isEmpty()) {
            runTags.put("build_url", ctx.buildUrl());
        }
        RunRef run = tracker.startRun(spec.tracking().experiment(), spec.name() + "-" + shortSha(ctx.gitSha()), runTags);
        try {
            tracker.logParams(run.runId(), params(spec, trained.result()));
            tracker.logMetrics(run.runId(), trained.metrics());
            tracker.logArtifact(run.runId(), trained.files().model(), MODEL_ARTIFACT_DIR);
            tracker.logArtifact(run.runId(), trained.files().metrics(), "");
            tracker.logArtifact(run.runId(), trained.files().performance(), "");
            tracker.logArtifact(run.runId(), trained.files().card(), "");
        } catch (RuntimeException e) {
            endQuietly(tracker, run.runId(), ctx.log());
            throw e;
        }
        ctx.log().info("recorded run " + run.runId() + " in experiment '" + spec.tracking().experiment() + "' at " + tracker.describe());
        return run;
    }

    private static void endQuietly(Tracker tracker, String runId, Log log) {
        try {
            tracker.endRun(runId, RunStatus.FAILED);
        } catch (RuntimeException suppressed) {
            log.warn("could not mark run " + runId + " as failed: " + suppressed.getMessage());
        }
    }

    static Map<String, String> params(PipelineSpec spec, TrainResult r) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("algorithm", r.algorithm().id());
        p.putAll(Trainers.asStrings(r.algorithm(), r.chosen()));
        p.put("standardize", spec.model().standardize().toString());
        p.put("seed", spec.model().seed().toString());
        p.put("folds", spec.model().folds().toString());
        p.put("test_split", spec.model().testSplit().toString());
        p.put("select_by", r.selectBy());
        p.put("train_rows", Integer.toString(r.trainRows()));
        p.put("test_rows", Integer.toString(r.testRows()));
        p.put("target", spec.data().target());
        return p;
    }

    private static Map<String, Long> timings(DataCheck data, TrainResult trained, long trackingMillis) {
        Map<String, Long> t = new LinkedHashMap<>();
        t.put("load", data.loadMillis());
        t.put("checks", data.checkMillis());
        if (trained != null) {
            for (String phase : List.of("split", "search", "refit", "evaluate")) {
                t.put(phase, trained.timingsMillis().getOrDefault(phase, 0L));
            }
            t.put("tracking", trackingMillis);
        }
        return t;
    }

    private static void writeSummary(RunOutcome out) {
        AtomicFiles.writeString(out.outDir().resolve("run.json"), Json.write(out.toJson()) + "\n");
    }

    private static String summary(Map<String, Double> m) {
        StringBuilder b = new StringBuilder();
        for (String k : List.of("accuracy", "f1_macro", "roc_auc")) {
            if (m.containsKey(k)) {
                b.append(b.length() == 0 ? "" : ", ").append(k).append(' ').append(String.format(java.util.Locale.ROOT, "%.4f", m.get(k)));
            }
        }
        return b.toString();
    }

    private static String shortSha(String sha) {
        return sha.length() > 8 ? sha.substring(0, 8) : sha;
    }

    private static Duration elapsed(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
