package dev.mlops.engine.spec;

import java.nio.file.Path;

/**
 * A project's pipeline as read from {@code mlops.yaml}: data, model, gate, tracking and deploy sections.
 * {@code file} is the spec's own path; relative paths inside were resolved against its folder.
 */
public record PipelineSpec(Path file, String name, DataSpec data, ModelSpec model, GatePolicy gate,
                           TrackingSpec tracking, DeploySpec deploy) {

    /** The folder relative paths in the spec are resolved against. */
    public Path baseDir() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".").toAbsolutePath() : parent;
    }
}
