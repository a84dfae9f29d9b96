package dev.mlops.engine.train;

import dev.mlops.engine.evaluate.Evaluation;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.Algorithm;
import org.tribuo.Model;
import org.tribuo.classification.Label;

import java.util.List;
import java.util.Map;

/**
 * A trained model and everything known about how it was made.
 *
 * @param chosen       the selected grid point (every hyperparameter of the algorithm)
 * @param selectBy     the metric the grid point was chosen by
 * @param cv           one entry per grid point in grid order; empty when there was nothing to choose from
 *                     (one grid point and {@code folds == 1})
 * @param test         metrics of the refitted model on the held-out test rows
 * @param timingsMillis wall time of each phase ("split", "search", "refit", "evaluate", "total")
 * @param provenance   Tribuo's provenance of the model, as text
 */
public record TrainingResult(Model<Label> model, ModelSchema schema, Algorithm algorithm, Map<String, Double> chosen,
                          String selectBy, List<CvScore> cv, Evaluation test, int trainRows, int testRows,
                          int[] testRowIndices, Map<String, Long> timingsMillis, String provenance) {

    public TrainingResult {
        chosen = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(chosen));
        cv = List.copyOf(cv);
        timingsMillis = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(timingsMillis));
    }

    /**
     * The selection metric of one grid point on each validation fold (or the single validation split), and its mean.
     */
    public record CvScore(Map<String, Double> params, String description, double mean, List<Double> folds) {
        public CvScore {
            params = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(params));
            folds = List.copyOf(folds);
        }
    }
}
