package dev.mlops.engine.spec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where the training data is and what it must look like. Paths are resolved against the spec file's folder.
 * {@code sensitive} names a column used only for fairness metrics (never as a feature); {@code reference} is the
 * data set drift is measured against; {@code positiveClass} is the label counted as "selected" for ROC AUC and
 * fairness in binary problems (default: the second label in sorted order).
 */
public record DataSpec(Path path, String format, String target, String sensitive, String positiveClass,
                       Path reference, DataChecks checks, Map<String, ColumnSchema> schema) {
    public DataSpec {
        format = format == null ? "csv" : format;
        checks = checks == null ? DataChecks.defaults() : checks;
        schema = schema == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(schema));
    }
}
