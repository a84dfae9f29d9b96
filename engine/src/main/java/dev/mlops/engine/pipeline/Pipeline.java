package dev.mlops.engine.pipeline;

import dev.mlops.engine.Log;
import dev.mlops.engine.InputException;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.CsvReader;
import dev.mlops.engine.data.DataFingerprint;
import dev.mlops.engine.data.DataValidator;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.gate.Baseline;
import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.gate.Gate;
import dev.mlops.engine.gate.PolicyProblem;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.spec.OverrideKey;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.RunInfo;
import dev.mlops.engine.tracking.RunRef;
import dev.mlops.engine.tracking.RunStatus;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.train.TrainOutputs;
import dev.mlops.engine.train.Trainers;
import dev.mlops.engine.train.TrainingRequest;
import dev.mlops.engine.train.TrainingResult;
import dev.mlops.engine.train.Training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The pipeline's steps: data checks, training, recording a run, baseline lookup, gate, registration. The engine API
 * ({@code dev.mlops.engine.api.Engine}) orders them into operations. Every step takes its inputs as values and reports through the context's {@link Log}; files are
 * written atomically under the output folder the caller chose.
 */
public final class Pipeline {
    /** Artifact folder of a run that holds the model file; registered versions point at it. */
    public static final String MODEL_ARTIFACT_DIR = "model";
    public static final String CANDIDATE_ALIAS = "candidate";

    private Pipeline() {
    }

    /**
     * Reads the training data (and the reference, when the spec names one) and checks it. The data's classes are
     * checked too ({@link #checkClasses}), so input refused here has written nothing.
     */
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
        checkClasses(spec, table);
        long checkMillis = (System.nanoTime() - t1) / 1_000_000;
        log.info("data checks: " + (report.passed() ? "passed" : "FAILED") + " (" + report.checks().size() + " checks, "
                + report.failures().size() + " failed, " + report.warnings().size() + " warnings)");
        return new DataCheck(table, report, loadMillis, checkMillis);
    }

    /**
     * What the target's classes decide, checked once the data is read and before anything is trained, tracked or
     * written: the target holds class labels (not a continuous number, at most {@code model.maxClasses}); each class
     * can name per-class metrics (respelt for MLflow by {@link MetricCatalog#metricLabel}, no two
     * classes to one name, short enough for MLflow's 250 characters), and the gate
     * policy names only metrics this target will have ({@code f1.class_9} with classes class_0..2 is refused here,
     * not after minutes of training).
     */
    public static void checkClasses(PipelineSpec spec, Table table) {
        String target = spec.data().target();
        Column labels = table.find(target).orElseThrow(() -> new InputException(table.source()
                + ": target column '" + target + "' not found; columns are " + table.columnNames()));
        Training.checkTarget(table, spec.data(), spec.model()); // a continuous target: one line, not its values
        TreeSet<String> classes = new TreeSet<>();
        Map<String, String> spelt = new HashMap<>(); // metric spelling -> the class that has it
        for (int r = 0; r < labels.size(); r++) {
            String v = labels.text(r);
            if (v != null && classes.add(v)) {
                Optional<String> bad = MetricCatalog.labelProblem(v);
                if (bad.isPresent()) {
                    throw new InputException(table.source() + ": row " + (r + 1) + ", target '" + target
                            + "': the class '" + v + "' " + bad.get() + "; rename the class");
                }
                String other = spelt.putIfAbsent(MetricCatalog.metricLabel(v), v);
                if (other != null) {
                    throw new InputException(table.source() + ": row " + (r + 1) + ", target '" + target
                            + "': the classes '" + other + "' and '" + v + "' would both name their per-class metrics "
                            + MetricCatalog.perClass("f1", v) + " (MLflow refuses some characters in metric names, "
                            + "so they are respelt); rename one of the classes");
                }
            }
        }
        List<PolicyProblem> problems = Gate.policyProblems(spec.gate(), List.copyOf(classes));
        if (!problems.isEmpty()) {
            StringBuilder msg = new StringBuilder();
            for (PolicyProblem p : problems) {
                msg.append(msg.length() == 0 ? "" : "\n  also ").append(spec.file()).append(": '")
                        .append(OverrideKey.show(p.path())).append("': ").append(p.message());
            }
            throw new InputException(msg.toString());
        }
    }

    /** The data as read, its check report, and how long reading and checking took. */
    public record DataCheck(Table table, CheckReport report, long loadMillis, long checkMillis) {
    }

    /** Trains on an already-checked table and writes model, metrics and card to {@code outDir}. */
    public static Trained train(PipelineSpec spec, Table table, Path outDir, RunContext ctx) {
        checkClasses(spec, table);
        String dataSha = DataFingerprint.sha256(spec.data().path());
        TrainingRequest request = new TrainingRequest(table, spec.data(), spec.model(),
                spec.tracking().registeredModel(), ctx.gitSha(), dataSha, ctx.clock(), ctx.buildTime());
        TrainingResult result = Training.run(request, ctx.log());
        TrainOutputs.Written files = TrainOutputs.write(result, outDir);
        Map<String, Double> metrics = TrainOutputs.scalars(result, ModelArtifact.load(files.model()).sizeBytes());
        ctx.log().info("trained " + result.algorithm().id() + " " + Trainers.describe(result.algorithm(),
                result.chosen()) + ": "
                + summary(metrics) + " on " + result.testRows() + " test rows");
        return new Trained(result, files, metrics, dataSha);
    }

    public record Trained(TrainingResult result, TrainOutputs.Written files, Map<String, Double> metrics, String dataSha256) {
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
        return gate(spec, candidate, Map.of(), baseline, log);
    }

    /** As above, with the evaluator's notes, so a row on an undefined metric says why it is undefined. */
    public static CheckReport gate(PipelineSpec spec, Map<String, Double> candidate, Map<String, String> notes,
                                   Optional<Baseline> baseline, Log log) {
        CheckReport report = Gate.check(spec.gate(), candidate, notes, baseline);
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
            failRun(tracker, run.runId(), ctx.log());
            throw e;
        }
        ctx.log().info("recorded run " + run.runId() + " in experiment '" + spec.tracking().experiment() + "' at " + tracker.describe());
        return run;
    }

    /** Marks a run FAILED after an error; a second error is logged, never thrown over the first. */
    public static void failRun(Tracker tracker, String runId, Log log) {
        try {
            tracker.endRun(runId, RunStatus.FAILED);
        } catch (RuntimeException suppressed) {
            log.warn("could not mark run " + runId + " as failed: " + suppressed.getMessage());
        }
    }

    static Map<String, String> params(PipelineSpec spec, TrainingResult r) {
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
}
