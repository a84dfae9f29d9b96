package dev.mlops.serve;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.Tracker;

import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Finds the model to serve: a file path, or a registry reference {@code models:/<name>@<alias>} or
 * {@code models:/<name>/<version>}. A registry model is downloaded and its SHA-256 compared with the
 * {@link ModelVersion#SHA256_TAG} tag before it is parsed; a mismatch or a missing tag refuses to serve.
 */
public final class ModelSource {
    public static final String REGISTRY_PREFIX = "models:/";
    /** Where a run keeps its model file, relative to the run's artifact root. */
    public static final String MODEL_ARTIFACT = "model/model.tribuo";

    private ModelSource() {
    }

    public static boolean isRegistryReference(String reference) {
        return reference != null && reference.startsWith(REGISTRY_PREFIX);
    }

    /**
     * @param reference       a path or a {@code models:/} reference
     * @param tracker         opened only for registry references (and closed after the download)
     * @param downloadDir     where a registry model file is downloaded to
     * @param nameOverride    announced model name instead of the registry's or the schema's; null for none
     * @param versionOverride announced model version instead of the registry's or the checksum's; null for none
     */
    public static ServedModel resolve(String reference, Supplier<? extends Tracker> tracker, Path downloadDir,
                                      String nameOverride, String versionOverride, Log log) {
        if (reference == null || reference.isBlank()) {
            throw new InputException("--model: give a model file or models:/<name>@<alias> or models:/<name>/<version>");
        }
        if (!isRegistryReference(reference)) {
            Path file = Path.of(reference);
            LoadedModel loaded = ModelArtifact.load(file);
            log.info("loaded " + file + " (" + loaded.sizeBytes() + " bytes, sha256 " + loaded.sha256() + ")");
            return new ServedModel(loaded, nameOverride, versionOverride, file.toString());
        }
        RegistryRef ref = RegistryRef.parse(reference);
        try (Tracker t = tracker.get()) {
            ModelVersion mv = ref.alias() != null
                    ? t.findByAlias(ref.name(), ref.alias()).orElseThrow(() -> new InputException(
                    reference + ": registered model '" + ref.name() + "' has no alias '" + ref.alias() + "'"))
                    : t.getModelVersion(ref.name(), ref.version());
            String expected = mv.tags().get(ModelVersion.SHA256_TAG);
            if (expected == null || expected.isBlank()) {
                throw new InputException(reference + " (version " + mv.version() + "): no " + ModelVersion.SHA256_TAG
                        + " tag in the registry, so the file cannot be verified; refusing to serve it");
            }
            log.info("downloading " + reference + " (version " + mv.version() + ", run " + mv.runId() + ") from "
                    + t.describe());
            Path file = t.downloadArtifact(mv.runId(), MODEL_ARTIFACT, downloadDir);
            String actual = ModelArtifact.sha256(file);
            if (!actual.equalsIgnoreCase(expected.trim())) {
                throw new InputException(reference + " (version " + mv.version() + "): checksum mismatch: registry tag "
                        + ModelVersion.SHA256_TAG + " is " + expected.trim() + " but the downloaded file has " + actual
                        + "; refusing to serve it");
            }
            LoadedModel loaded = ModelArtifact.load(file);
            log.info("verified sha256 " + actual);
            return new ServedModel(loaded, nameOverride == null ? mv.name() : nameOverride,
                    versionOverride == null ? mv.version() : versionOverride, reference);
        }
    }

    /** {@code models:/name@alias} or {@code models:/name/version}; exactly one of alias and version is set. */
    record RegistryRef(String name, String alias, String version) {
        static RegistryRef parse(String reference) {
            String rest = reference.substring(REGISTRY_PREFIX.length());
            int at = rest.lastIndexOf('@');
            int slash = rest.indexOf('/');
            String usage = reference + ": expected models:/<name>@<alias> or models:/<name>/<version>";
            if (at > 0 && slash < 0 && at < rest.length() - 1) {
                return new RegistryRef(rest.substring(0, at), rest.substring(at + 1), null);
            }
            if (slash > 0 && at < 0 && slash < rest.length() - 1 && rest.indexOf('/', slash + 1) < 0) {
                return new RegistryRef(rest.substring(0, slash), null, rest.substring(slash + 1));
            }
            throw new InputException(usage);
        }
    }
}
