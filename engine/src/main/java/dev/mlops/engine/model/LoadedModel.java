package dev.mlops.engine.model;

import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.classification.Label;

import java.util.LinkedHashMap;
import java.util.Map;

/** A model read from disk with its schema, file checksum and size. Thread-safe for prediction. */
public record LoadedModel(Model<Label> model, ModelSchema schema, String sha256, long sizeBytes) {

    public Featurizer featurizer() {
        return new Featurizer(schema);
    }

    public boolean hasProbabilities() {
        return model.generatesProbabilities();
    }

    public Scored predict(Example<Label> example) {
        return score(model.predict(example));
    }

    public static Scored score(Prediction<Label> p) {
        Map<String, Double> probs = null;
        if (p.hasProbabilities()) {
            probs = new LinkedHashMap<>();
            for (Map.Entry<String, Label> e : p.getOutputScores().entrySet()) {
                probs.put(e.getKey(), e.getValue().getScore());
            }
        }
        return new Scored(p.getOutput().getLabel(), probs);
    }
}
