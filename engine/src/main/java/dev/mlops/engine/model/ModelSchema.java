package dev.mlops.engine.model;

import dev.mlops.engine.spec.ColumnType;

import java.util.List;
import java.util.Map;

/**
 * Everything needed to turn a raw row into the model's features and to say where the model came from. It travels
 * inside the model file (as Tribuo instance provenance), so a model file is self-describing: the server needs no
 * side file to know the input order, the categories or the git SHA.
 *
 * @param inputs      raw input columns in the order positional requests use (the training file's column order)
 * @param labels      class labels, sorted
 * @param positiveClass the label treated as "positive" for binary metrics and fairness; null for multiclass
 */
public record ModelSchema(int formatVersion, String modelName, String target, List<Input> inputs, List<String> labels,
                          String positiveClass, String algorithm, Map<String, String> hyperparameters, String gitSha,
                          String dataSha256, String trainedAt) {

    public static final int FORMAT_VERSION = 1;

    public ModelSchema {
        inputs = List.copyOf(inputs);
        labels = List.copyOf(labels);
        hyperparameters = hyperparameters == null ? Map.of() : Map.copyOf(hyperparameters);
    }

    /** One raw input column. {@code levels} are the known categories of a categorical input (null for numeric). */
    public record Input(String name, ColumnType type, List<String> levels) {
        public Input {
            levels = levels == null ? null : List.copyOf(levels);
        }
    }

    public List<String> inputNames() {
        return inputs.stream().map(Input::name).toList();
    }
}
