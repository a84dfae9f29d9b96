package dev.mlops.engine.deploy;

import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.RunInfo;
import dev.mlops.engine.tracking.RunRef;
import dev.mlops.engine.tracking.RunStatus;
import dev.mlops.engine.tracking.Tracker;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Only the registry aliases, which is all a deploy touches. */
final class MemoryTracker implements Tracker {
    final Map<String, String> aliases = new ConcurrentHashMap<>();
    /** "name/version" entries that exist; only consulted when {@link #strictVersions} is set. */
    final java.util.Set<String> versions = ConcurrentHashMap.newKeySet();
    volatile boolean strictVersions;

    String alias(String model, String alias) {
        return aliases.get(model + "@" + alias);
    }

    @Override
    public Optional<ModelVersion> findByAlias(String modelName, String alias) {
        String v = aliases.get(modelName + "@" + alias);
        return v == null ? Optional.empty()
                : Optional.of(new ModelVersion(modelName, v, "run", "src", Map.of(), List.of(alias)));
    }

    @Override
    public void setAlias(String modelName, String alias, String version) {
        aliases.put(modelName + "@" + alias, version);
    }

    @Override
    public void deleteAlias(String modelName, String alias) {
        aliases.remove(modelName + "@" + alias);
    }

    /** No @Override: newer Tracker versions declare it, older ones do not; either way this compiles. */
    public boolean registeredModelExists(String modelName) {
        return aliases.keySet().stream().anyMatch(k -> k.startsWith(modelName + "@"));
    }

    @Override
    public String describe() {
        return "memory";
    }

    @Override
    public RunRef startRun(String e, String r, Map<String, String> t) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void logParams(String runId, Map<String, String> params) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void logMetrics(String runId, Map<String, Double> metrics) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void setTags(String runId, Map<String, String> tags) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void logArtifact(String runId, Path file, String artifactDir) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void endRun(String runId, RunStatus status) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RunInfo getRun(String runId) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Path downloadArtifact(String runId, String artifactPath, Path targetDir) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ModelVersion createModelVersion(String modelName, String runId, String artifactPath, Map<String, String> tags) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ModelVersion getModelVersion(String modelName, String version) {
        if (strictVersions && !versions.contains(modelName + "/" + version)) {
            throw new dev.mlops.engine.InputException("model " + modelName + " has no version " + version);
        }
        return new ModelVersion(modelName, version, "run", "src", Map.of(), List.of());
    }

    @Override
    public void close() {
    }
}
