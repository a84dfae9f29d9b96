package dev.mlops.engine.train;

import dev.mlops.engine.data.Table;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;

import java.time.Clock;
import java.util.Objects;

/**
 * Everything one training run needs, as values.
 *
 * @param modelName  the name recorded in the model schema and card
 * @param gitSha     the commit the run was built from (recorded, never interpreted)
 * @param dataSha256 the SHA-256 of the training data file (recorded in the model and card)
 * @param clock      the training timestamp and the timings come from it
 */
public record TrainingRequest(Table table, DataSpec data, ModelSpec model, String modelName, String gitSha,
                           String dataSha256, Clock clock) {
    public TrainingRequest {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(data, "data");
        model = model == null ? ModelSpec.defaults() : model;
        modelName = modelName == null ? "model" : modelName;
        clock = clock == null ? Clock.systemUTC() : clock;
    }
}
