package dev.mlops.serve;

import dev.mlops.engine.model.Featurizer;
import dev.mlops.engine.model.LoadedModel;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded model plus the identity the server announces on every response: name, version, the git SHA it was trained
 * from, and where it came from. Immutable and thread-safe.
 */
public final class ServedModel {
    private final LoadedModel loaded;
    private final String name;
    private final String version;
    private final String gitSha;
    private final String source;
    private final Featurizer featurizer;
    private final boolean allNumeric;
    private final String[] inputNames;
    private final List<String> labels;
    private final Map<String, Integer> labelIndex = new HashMap<>();
    private final LinearScorer scorer;

    public ServedModel(LoadedModel loaded, String name, String version, String source) {
        this.loaded = loaded;
        ModelSchema schema = loaded.schema();
        this.name = nonBlank(name, nonBlank(schema.modelName(), "model"));
        this.version = nonBlank(version, loaded.sha256().substring(0, 12));
        this.gitSha = nonBlank(schema.gitSha(), "unknown");
        this.source = source;
        this.featurizer = loaded.featurizer();
        this.inputNames = schema.inputNames().toArray(new String[0]);
        this.allNumeric = schema.inputs().stream().allMatch(i -> i.type() == ColumnType.NUMERIC);
        this.labels = schema.labels();
        for (int i = 0; i < labels.size(); i++) {
            labelIndex.put(labels.get(i), i);
        }
        this.scorer = allNumeric ? LinearScorer.of(loaded.model(), inputNames, labels) : null;
    }

    /** The single-row shortcut for linear models (softmax SGD/L-BFGS or LibLinear logistic), or null. */
    LinearScorer scorer() {
        return scorer;
    }

    /** A model file served under its schema's name, versioned by the first 12 hex digits of its SHA-256. */
    public static ServedModel of(LoadedModel loaded, String source) {
        return new ServedModel(loaded, null, null, source);
    }

    private static String nonBlank(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }

    public LoadedModel loaded() {
        return loaded;
    }

    public String name() {
        return name;
    }

    public String version() {
        return version;
    }

    public String gitSha() {
        return gitSha;
    }

    public String sha256() {
        return loaded.sha256();
    }

    /** A path or a {@code models:/} reference, for logs. */
    public String source() {
        return source;
    }

    public ModelSchema schema() {
        return loaded.schema();
    }

    Featurizer featurizer() {
        return featurizer;
    }

    boolean allNumeric() {
        return allNumeric;
    }

    String[] inputNames() {
        return inputNames;
    }

    List<String> labels() {
        return labels;
    }

    /** Index of a predicted label in {@link #labels()}, or -1 for a label the schema does not list. */
    int labelIndex(String label) {
        Integer i = labelIndex.get(label);
        return i == null ? -1 : i;
    }

    @Override
    public String toString() {
        return name + " version " + version + " (git " + gitSha + ", from " + source + ")";
    }
}
