package dev.mlops.engine.tracking;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Experiment tracking and model registry, MLflow's data model. Two backends: {@code LocalStore} (MLflow's file
 * layout, no server) and {@code MlflowServer} (REST). Implementations never put credentials in messages.
 */
public interface Tracker extends AutoCloseable {

    /** Where this tracker writes, for logs: a path or a URL without credentials. */
    String describe();

    /** Finds or creates the experiment, then creates a RUNNING run in it. */
    RunRef startRun(String experimentName, String runName, Map<String, String> tags);

    void logParams(String runId, Map<String, String> params);

    void logMetrics(String runId, Map<String, Double> metrics);

    void setTags(String runId, Map<String, String> tags);

    /** Copies one file into the run's artifacts under {@code artifactDir} ("" for the root). */
    void logArtifact(String runId, Path file, String artifactDir);

    void endRun(String runId, RunStatus status);

    /** The run with its params, latest metric values and tags; InputException if there is no such run. */
    RunInfo getRun(String runId);

    /** Downloads one artifact file of a run (path relative to the run's artifact root) into {@code targetDir}. */
    Path downloadArtifact(String runId, String artifactPath, Path targetDir);

    /**
     * Registers a new version of {@code modelName} (creating the registered model on first use) whose source is
     * the run's artifact directory {@code artifactPath}.
     */
    ModelVersion createModelVersion(String modelName, String runId, String artifactPath, Map<String, String> tags);

    /** InputException naming the model and version when either does not exist. */
    ModelVersion getModelVersion(String modelName, String version);

    /** Whether a registered model of this name exists; false before the first version is registered. */
    boolean registeredModelExists(String modelName);

    /** Empty when the model has no such alias; InputException when the registered model itself does not exist. */
    Optional<ModelVersion> findByAlias(String modelName, String alias);

    void setAlias(String modelName, String alias, String version);

    void deleteAlias(String modelName, String alias);

    @Override
    void close();
}
