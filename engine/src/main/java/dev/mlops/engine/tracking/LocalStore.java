package dev.mlops.engine.tracking;

import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * Tracking and registry in MLflow's own file-store layout, so {@code mlflow ui --backend-store-uri <root>} opens it.
 *
 * <p>Every file name and meta.yaml field follows MLflow 2.17's {@code mlflow/store/tracking/file_store.py} and
 * {@code mlflow/store/model_registry/file_store.py}:
 * <ul>
 *   <li>{@code <root>/<experiment_id>/meta.yaml}: {@code artifact_location, creation_time, experiment_id,
 *       last_update_time, lifecycle_stage, name} ({@code _create_experiment_with_id}: {@code dict(experiment)} minus
 *       tags). Experiment {@code 0} "Default" exists as soon as the store does ({@code _create_default_experiment}),
 *       and {@code <root>/.trash} is created beside it.</li>
 *   <li>{@code <root>/<experiment_id>/<run_id>/meta.yaml}: the RunInfo fields {@code artifact_uri, end_time,
 *       experiment_id, lifecycle_stage, run_id, run_name, run_uuid, start_time, status, user_id} plus what
 *       {@code _make_persisted_run_info_dict} adds ({@code tags: []}, {@code status} as MLflow's integer enum,
 *       {@code source_type: 4} = LOCAL, empty {@code source_name, entry_point_name, source_version}) and
 *       {@code deleted_time: null} from {@code create_run}; folders {@code metrics/ params/ artifacts/ tags/}.</li>
 *   <li>{@code metrics/<key>}: one line {@code <timestamp_ms> <value> <step>} per logged value
 *       ({@code _log_run_metric}); {@code params/<key>} and {@code tags/<key>}: the raw value.</li>
 *   <li>{@code <root>/models/<name>/meta.yaml}: {@code aliases, creation_timestamp, description,
 *       last_updated_timestamp, name} ({@code dict(registered_model)} minus tags and latest_versions);
 *       {@code version-<n>/meta.yaml}: {@code aliases, creation_timestamp, current_stage ('None'), description,
 *       last_updated_timestamp, name, run_id, run_link, source, status ('READY'), status_message, storage_location,
 *       user_id, version}; {@code version-<n>/tags/<key>}; {@code aliases/<alias>} holding the version number.</li>
 * </ul>
 * Run ids are uuid4 hex as in {@code create_run}; experiment ids are random positive integers as in
 * {@code _generate_unique_integer_id}. Every file is written through {@link AtomicFiles}.
 *
 * <p>Concurrency: experiment creation takes an OS file lock on {@code <root>/.mlops-experiments.lock} (a file, so
 * MLflow, which lists only sub-directories as experiments, ignores it); a model version number is claimed by an
 * atomic {@code createDirectory} of {@code version-<n>}, so two processes never get the same number.
 */
public final class LocalStore implements Tracker {
    /** MLflow's RunStatus integer enum as stored in meta.yaml (mlflow/protos/service.proto). */
    private static final Map<RunStatus, Integer> STATUS_CODES = Map.of(
            RunStatus.RUNNING, 1, RunStatus.FINISHED, 3, RunStatus.FAILED, 4, RunStatus.KILLED, 5);
    private static final int SOURCE_TYPE_LOCAL = 4;
    // mlflow.utils.validation._validate_run_id
    private static final Pattern RUN_ID = Pattern.compile("[a-zA-Z0-9][\\w\\-]{0,255}");
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,9}");

    private static final Map<Path, ReentrantLock> JVM_LOCKS = new ConcurrentHashMap<>();

    private final Path root;
    private final Clock clock;
    private volatile boolean created;

    /**
     * Opens the store at {@code root}. Nothing is written until the first run starts: a pipeline opens its tracker
     * before it trains, and input refused then must leave no {@code mlruns/} behind.
     */
    public LocalStore(Path root, Clock clock) {
        this.root = root.toAbsolutePath().normalize();
        this.clock = clock;
        if (Files.exists(this.root) && !Files.isDirectory(this.root)) {
            throw new InputException("tracking store " + this.root + " is a file, expected a directory (MLflow's mlruns layout)");
        }
    }

    /** Creates the root, {@code .trash} and the Default experiment as MLflow's FileStore does, if missing. */
    private void create() {
        if (created) {
            return;
        }
        try {
            Files.createDirectories(this.root.resolve(".trash"));
        } catch (IOException e) {
            throw new InputException("cannot create tracking store " + this.root + ": " + e.getMessage(), e);
        }
        withExperimentLock(() -> {
            if (!Files.exists(this.root.resolve("0").resolve("meta.yaml"))) {
                writeExperiment("0", "Default");
            }
            return null;
        });
        created = true;
    }

    public Path root() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    // ---------------------------------------------------------------- experiments and runs

    @Override
    public RunRef startRun(String experimentName, String runName, Map<String, String> tags) {
        if (experimentName == null || experimentName.isBlank()) {
            throw new InputException("tracking experiment name is empty; expected a name such as 'churn'");
        }
        checkKeys(tags.keySet(), "tag"); // before the run folder exists, so a refused tag leaves no half-made run
        create();
        String experimentId = withExperimentLock(() -> findExperiment(experimentName).orElseGet(() -> {
            String id = newExperimentId();
            writeExperiment(id, experimentName);
            return id;
        }));
        String runId = UUID.randomUUID().toString().replace("-", "");
        Path runDir = root.resolve(experimentId).resolve(runId);
        String artifactUri = fileUri(runDir.resolve("artifacts"));
        long now = clock.millis();
        Map<String, String> allTags = SystemTags.complete(tags);
        String name = runName == null || runName.isBlank() ? runId : runName;
        allTags.put(SystemTags.RUN_NAME, name);

        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("artifact_uri", artifactUri);
        meta.put("end_time", null);
        meta.put("entry_point_name", "");
        meta.put("experiment_id", experimentId);
        meta.put("lifecycle_stage", "active");
        meta.put("run_id", runId);
        meta.put("run_name", name);
        meta.put("run_uuid", runId);
        meta.put("source_name", "");
        meta.put("source_type", SOURCE_TYPE_LOCAL);
        meta.put("source_version", "");
        meta.put("start_time", now);
        meta.put("status", STATUS_CODES.get(RunStatus.RUNNING));
        meta.put("tags", List.of());
        meta.put("user_id", allTags.get(SystemTags.USER));
        meta.put("deleted_time", null);
        try {
            Files.createDirectories(runDir.resolve("metrics"));
            Files.createDirectories(runDir.resolve("params"));
            Files.createDirectories(runDir.resolve("artifacts"));
            Files.createDirectories(runDir.resolve("tags"));
        } catch (IOException e) {
            throw io("create run folder " + runDir, e);
        }
        MetaYaml.write(runDir.resolve("meta.yaml"), meta);
        writeTags(runDir, allTags);
        return new RunRef(runId, experimentId, artifactUri);
    }

    @Override
    public void logParams(String runId, Map<String, String> params) {
        checkKeys(params.keySet(), "param");
        Path dir = runDir(runId).resolve("params");
        for (Map.Entry<String, String> p : params.entrySet()) {
            Path file = child(dir, p.getKey(), "param");
            String value = p.getValue() == null ? "" : p.getValue();
            if (Files.exists(file)) {
                String old = readString(file);
                if (!old.equals(value)) {
                    // MLflow answers 400 INVALID_PARAMETER_VALUE: params are immutable once logged.
                    throw new InputException("param '" + p.getKey() + "' of run '" + runId + "' is already '" + old
                            + "'; params cannot change (tried '" + value + "'); log a new run instead");
                }
                continue;
            }
            AtomicFiles.writeString(file, value);
        }
    }

    @Override
    public void logMetrics(String runId, Map<String, Double> metrics) {
        checkKeys(metrics.keySet(), "metric");
        Path dir = runDir(runId).resolve("metrics");
        long now = clock.millis();
        for (Map.Entry<String, Double> m : metrics.entrySet()) {
            Path file = child(dir, m.getKey(), "metric");
            String existing = Files.exists(file) ? readString(file) : "";
            // Same line shape as MLflow's _log_run_metric; Python's float() reads Java's "1.0E-5", "NaN", "Infinity".
            String line = now + " " + m.getValue() + " " + 0 + "\n";
            AtomicFiles.writeString(file, existing + line);
        }
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        writeTags(runDir(runId), tags);
    }

    private void writeTags(Path runDir, Map<String, String> tags) {
        checkKeys(tags.keySet(), "tag");
        Path dir = runDir.resolve("tags");
        for (Map.Entry<String, String> t : tags.entrySet()) {
            AtomicFiles.writeString(child(dir, t.getKey(), "tag"), t.getValue() == null ? "" : t.getValue());
        }
    }

    @Override
    public void logArtifact(String runId, Path file, String artifactDir) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("artifact " + file + " does not exist or is not a file");
        }
        Path artifacts = runDir(runId).resolve("artifacts");
        Path dir = child(artifacts, artifactDir == null ? "" : artifactDir, "artifact directory");
        Path target = dir.resolve(file.getFileName().toString());
        AtomicFiles.write(target, temp -> Files.copy(file, temp, StandardCopyOption.REPLACE_EXISTING));
    }

    @Override
    public void endRun(String runId, RunStatus status) {
        Path runDir = runDir(runId);
        Map<String, Object> meta = MetaYaml.read(runDir.resolve("meta.yaml"));
        meta.put("status", STATUS_CODES.get(status));
        meta.put("end_time", clock.millis());
        MetaYaml.write(runDir.resolve("meta.yaml"), meta);
    }

    @Override
    public RunInfo getRun(String runId) {
        Path runDir = runDir(runId);
        Map<String, Object> meta = MetaYaml.read(runDir.resolve("meta.yaml"));
        Map<String, String> params = readValues(runDir.resolve("params"));
        Map<String, String> tags = readValues(runDir.resolve("tags"));
        Map<String, Double> metrics = new TreeMap<>();
        for (Map.Entry<String, String> m : readValues(runDir.resolve("metrics")).entrySet()) {
            metrics.put(m.getKey(), latestMetric(runDir, m.getKey(), m.getValue()));
        }
        String runName = MetaYaml.string(meta, "run_name");
        if (runName == null || runName.isEmpty()) {
            runName = tags.get("mlflow.runName");
        }
        return new RunInfo(runId, MetaYaml.string(meta, "experiment_id"), runName, statusOf(meta.get("status")),
                MetaYaml.string(meta, "artifact_uri"), params, metrics, tags);
    }

    /** MLflow's _get_metric_from_file: the value with the largest (step, timestamp, value). */
    private static double latestMetric(Path runDir, String key, String content) {
        long bestStep = Long.MIN_VALUE;
        long bestTs = Long.MIN_VALUE;
        double best = Double.NaN;
        boolean any = false;
        for (String line : content.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] parts = line.trim().split(" ");
            if (parts.length != 2 && parts.length != 3) {
                throw new InputException(runDir.resolve("metrics").resolve(key) + ": malformed metric line '" + line
                        + "', expected '<timestamp_ms> <value> <step>'");
            }
            try {
                long ts = Long.parseLong(parts[0]);
                double value = Double.parseDouble(parts[1]);
                long step = parts.length == 3 ? Long.parseLong(parts[2]) : 0;
                if (!any || step > bestStep || step == bestStep && (ts > bestTs || ts == bestTs && value > best)) {
                    bestStep = step;
                    bestTs = ts;
                    best = value;
                    any = true;
                }
            } catch (NumberFormatException e) {
                throw new InputException(runDir.resolve("metrics").resolve(key) + ": malformed metric line '" + line
                        + "', expected '<timestamp_ms> <value> <step>'");
            }
        }
        return best;
    }

    private static RunStatus statusOf(Object code) {
        int c = code instanceof Number n ? n.intValue() : code == null ? 1 : Integer.parseInt(code.toString());
        for (Map.Entry<RunStatus, Integer> e : STATUS_CODES.entrySet()) {
            if (e.getValue() == c) {
                return e.getKey();
            }
        }
        return RunStatus.RUNNING; // SCHEDULED (2) has no counterpart here
    }

    @Override
    public Path downloadArtifact(String runId, String artifactPath, Path targetDir) {
        Path artifacts = runDir(runId).resolve("artifacts");
        Path source = child(artifacts, artifactPath, "artifact path");
        if (!Files.isRegularFile(source)) {
            throw new InputException("artifact '" + artifactPath + "' of run '" + runId + "' does not exist in " + artifacts);
        }
        Path target = targetDir.resolve(source.getFileName().toString());
        AtomicFiles.write(target, temp -> Files.copy(source, temp, StandardCopyOption.REPLACE_EXISTING));
        return target;
    }

    // ---------------------------------------------------------------- registry

    @Override
    public ModelVersion createModelVersion(String modelName, String runId, String artifactPath, Map<String, String> tags) {
        Path modelDir = modelDirFor(modelName);
        Path runDir = runDir(runId);
        String runArtifacts = MetaYaml.string(MetaYaml.read(runDir.resolve("meta.yaml")), "artifact_uri");
        String source = artifactPath == null || artifactPath.isEmpty() ? runArtifacts : runArtifacts + "/" + artifactPath;
        long now = clock.millis();
        try {
            Files.createDirectories(modelDir.getParent());
            Files.createDirectory(modelDir);
            writeModelMeta(modelDir, modelName, now, now, Map.of());
        } catch (FileAlreadyExistsException e) {
            // registered on an earlier run: fine
        } catch (IOException e) {
            throw io("create registered model folder " + modelDir, e);
        }
        int version = nextVersion(modelDir);
        Path versionDir;
        while (true) {
            versionDir = modelDir.resolve("version-" + version);
            try {
                Files.createDirectory(versionDir); // atomic claim of the number
                break;
            } catch (FileAlreadyExistsException e) {
                version++;
            } catch (IOException e) {
                throw io("create model version folder " + versionDir, e);
            }
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("aliases", List.of());
        meta.put("creation_timestamp", now);
        meta.put("current_stage", "None");
        meta.put("description", null);
        meta.put("last_updated_timestamp", now);
        meta.put("name", modelName);
        meta.put("run_id", runId);
        meta.put("run_link", null);
        meta.put("source", source);
        meta.put("status", "READY");
        meta.put("status_message", null);
        meta.put("storage_location", source);
        meta.put("user_id", null);
        meta.put("version", version);
        for (Map.Entry<String, String> t : tags.entrySet()) {
            AtomicFiles.writeString(child(versionDir.resolve("tags"), t.getKey(), "tag"), t.getValue() == null ? "" : t.getValue());
        }
        MetaYaml.write(versionDir.resolve("meta.yaml"), meta);
        touchModel(modelDir, modelName);
        return readVersion(modelName, modelDir, String.valueOf(version));
    }

    private int nextVersion(Path modelDir) {
        int max = 0;
        for (Path p : list(modelDir)) {
            String n = p.getFileName().toString();
            if (Files.isDirectory(p) && n.startsWith("version-") && VERSION.matcher(n.substring(8)).matches()) {
                max = Math.max(max, Integer.parseInt(n.substring(8)));
            }
        }
        return max + 1;
    }

    @Override
    public ModelVersion getModelVersion(String modelName, String version) {
        Path modelDir = existingModel(modelName);
        return readVersion(modelName, modelDir, version);
    }

    @Override
    public Optional<ModelVersion> findByAlias(String modelName, String alias) {
        Path modelDir = existingModel(modelName);
        Path file = child(modelDir.resolve("aliases"), alias, "alias");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(readVersion(modelName, modelDir, readString(file).trim()));
    }

    @Override
    public void setAlias(String modelName, String alias, String version) {
        Path modelDir = existingModel(modelName);
        readVersion(modelName, modelDir, version); // the version must exist, as in MLflow
        AtomicFiles.writeString(child(modelDir.resolve("aliases"), alias, "alias"), version);
        touchModel(modelDir, modelName);
    }

    @Override
    public void deleteAlias(String modelName, String alias) {
        Path modelDir = existingModel(modelName);
        try {
            Files.deleteIfExists(child(modelDir.resolve("aliases"), alias, "alias"));
        } catch (IOException e) {
            throw io("delete alias '" + alias + "' of " + modelDir, e);
        }
        touchModel(modelDir, modelName);
    }

    private ModelVersion readVersion(String modelName, Path modelDir, String version) {
        Path versionDir = VERSION.matcher(version == null ? "" : version).matches() ? modelDir.resolve("version-" + version) : null;
        if (versionDir == null || !Files.isRegularFile(versionDir.resolve("meta.yaml"))) {
            throw new InputException("registered model '" + modelName + "' has no version '" + version + "' at " + root);
        }
        Map<String, Object> meta = MetaYaml.read(versionDir.resolve("meta.yaml"));
        if ("Deleted_Internal".equals(MetaYaml.string(meta, "current_stage"))) {
            throw new InputException("registered model '" + modelName + "' has no version '" + version + "' at " + root);
        }
        Map<String, String> tags = readValues(versionDir.resolve("tags"));
        List<String> aliases = new ArrayList<>();
        aliasesOf(modelDir).forEach((a, v) -> {
            if (v.equals(version)) {
                aliases.add(a);
            }
        });
        return new ModelVersion(modelName, version, MetaYaml.string(meta, "run_id"), MetaYaml.string(meta, "source"), tags, aliases);
    }

    private Map<String, String> aliasesOf(Path modelDir) {
        Map<String, String> aliases = new TreeMap<>();
        readValues(modelDir.resolve("aliases")).forEach((a, v) -> aliases.put(a, v.trim()));
        return aliases;
    }

    private void writeModelMeta(Path modelDir, String name, long created, long updated, Map<String, String> aliases) {
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("aliases", aliases);
        meta.put("creation_timestamp", created);
        meta.put("description", null);
        meta.put("last_updated_timestamp", updated);
        meta.put("name", name);
        MetaYaml.write(modelDir.resolve("meta.yaml"), meta);
    }

    /** MLflow rewrites the model's meta.yaml with a new last_updated_timestamp on every registry change. */
    private void touchModel(Path modelDir, String name) {
        Path file = modelDir.resolve("meta.yaml");
        long now = clock.millis();
        long created = now;
        if (Files.exists(file)) {
            Object c = MetaYaml.read(file).get("creation_timestamp");
            if (c instanceof Number n) {
                created = n.longValue();
            }
        }
        writeModelMeta(modelDir, name, created, now, aliasesOf(modelDir));
    }

    private Path modelDirFor(String modelName) {
        // mlflow.store.model_registry.file_store._validate_model_name: no path separator, no '%'
        if (modelName == null || modelName.isBlank() || modelName.contains("/") || modelName.contains("\\")
                || modelName.contains("%") || modelName.equals(".") || modelName.equals("..")) {
            throw new InputException("registered model name '" + modelName
                    + "' is not valid: expected a non-empty name without '/', '\\' or '%'");
        }
        return root.resolve("models").resolve(modelName);
    }

    @Override
    public boolean registeredModelExists(String modelName) {
        return Files.isDirectory(modelDirFor(modelName));
    }

    private Path existingModel(String modelName) {
        Path modelDir = modelDirFor(modelName);
        if (!Files.isDirectory(modelDir)) {
            throw new InputException("registered model '" + modelName + "' does not exist at " + root);
        }
        return modelDir;
    }

    // ---------------------------------------------------------------- helpers

    private Optional<String> findExperiment(String name) {
        for (Path dir : list(root)) {
            Path meta = dir.resolve("meta.yaml");
            if (Files.isDirectory(dir) && !dir.getFileName().toString().equals("models") && Files.isRegularFile(meta)) {
                Map<String, Object> m = MetaYaml.read(meta);
                if (name.equals(MetaYaml.string(m, "name")) && "active".equals(MetaYaml.string(m, "lifecycle_stage"))) {
                    return Optional.of(dir.getFileName().toString());
                }
            }
        }
        return Optional.empty();
    }

    private String newExperimentId() {
        while (true) {
            // like _generate_unique_integer_id: a random positive integer; the lock makes the check race-free
            String id = Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
            if (!Files.exists(root.resolve(id)) && !Files.exists(root.resolve(".trash").resolve(id))) {
                return id;
            }
        }
    }

    private void writeExperiment(String id, String name) {
        Path dir = root.resolve(id);
        long now = clock.millis();
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("artifact_location", fileUri(dir));
        meta.put("creation_time", now);
        meta.put("experiment_id", id);
        meta.put("last_update_time", now);
        meta.put("lifecycle_stage", "active");
        meta.put("name", name);
        MetaYaml.write(dir.resolve("meta.yaml"), meta);
    }

    private <T> T withExperimentLock(java.util.function.Supplier<T> action) {
        Path lockFile = root.resolve(".mlops-experiments.lock");
        // OS file locks are held per process, so threads of this JVM first queue on an in-process lock.
        ReentrantLock local = JVM_LOCKS.computeIfAbsent(lockFile, k -> new ReentrantLock());
        local.lock();
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            return action.get();
        } catch (IOException e) {
            throw new InfraException("cannot lock " + lockFile + ": " + e.getMessage(), e);
        } finally {
            local.unlock();
        }
    }

    private Path runDir(String runId) {
        if (runId == null || !RUN_ID.matcher(runId).matches()) {
            throw new InputException("run id '" + runId + "' is not valid: expected letters, digits, '_' or '-'");
        }
        for (Path exp : list(root)) {
            Path candidate = exp.resolve(runId);
            if (Files.isRegularFile(candidate.resolve("meta.yaml"))) {
                return candidate;
            }
        }
        throw new InputException("run '" + runId + "' does not exist in tracking store " + root);
    }

    /**
     * MLflow's FileStore validates every key before writing (validation.py), as its server does: the same keys are
     * refused here, all of a call's before any is written, so a run that works here works on a server too.
     */
    private static void checkKeys(Iterable<String> keys, String what) {
        for (String key : keys) {
            MlflowNames.problem(key).ifPresent(why -> {
                throw new InputException(what + " name '" + key + "' is not valid in MLflow: " + why);
            });
        }
    }

    /** Resolves a key or relative path under {@code dir}, refusing anything that would leave it. */
    private static Path child(Path dir, String relative, String what) {
        if (relative == null || relative.contains("\0")) {
            throw new InputException(what + " name '" + relative + "' is not valid");
        }
        Path p = dir.resolve(relative).normalize();
        if (!p.startsWith(dir) || (!relative.isEmpty() && p.equals(dir)) || Path.of(relative).isAbsolute()) {
            throw new InputException(what + " name '" + relative + "' is not valid: it must stay inside " + dir);
        }
        return p;
    }

    /** Files under {@code dir} (recursively: MLflow keys may contain '/') keyed by their relative path. */
    private static Map<String, String> readValues(Path dir) {
        Map<String, String> values = new TreeMap<>();
        if (!Files.isDirectory(dir)) {
            return values;
        }
        try (var stream = Files.walk(dir)) {
            stream.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .forEach(p -> values.put(dir.relativize(p).toString().replace('\\', '/'), readString(p)));
        } catch (IOException e) {
            throw io("read " + dir, e);
        }
        return values;
    }

    private static List<Path> list(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(out::add);
        } catch (NoSuchFileException e) {
            return out;
        } catch (IOException e) {
            throw io("list " + dir, e);
        }
        out.sort(null);
        return out;
    }

    private static String readString(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw io("read " + file, e);
        }
    }

    /** Like MLflow's path_to_local_file_uri: {@code file:///abs/path} without a trailing slash. */
    static String fileUri(Path path) {
        String uri = path.toAbsolutePath().toUri().toString();
        return uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    private static InfraException io(String what, IOException e) {
        return new InfraException("cannot " + what + ": " + e.getMessage(), e);
    }

    @Override
    public void close() {
        // nothing held open between calls
    }
}
