package dev.mlops.engine.train;

import dev.mlops.engine.data.Table;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;

import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything one training run needs, as values.
 *
 * @param modelName  the name recorded in the model schema and card
 * @param gitSha     the commit the run was built from (recorded, never interpreted)
 * @param dataSha256 the SHA-256 of the training data file (recorded in the model and card)
 * @param clock      the phase timings come from it
 * @param trainedAt  the training time recorded in the model file, its provenance and metrics.json: the caller's
 *                   reproducible build time (e.g. {@code SOURCE_DATE_EPOCH} or the commit time), so the same inputs
 *                   give the same bytes; the clock's instant when null
 */
public record TrainingRequest(Table table, DataSpec data, ModelSpec model, String modelName, String gitSha,
                           String dataSha256, Clock clock, Instant trainedAt) {
    public TrainingRequest {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(data, "data");
        model = model == null ? ModelSpec.defaults() : model;
        modelName = modelName == null ? "model" : modelName;
        clock = clock == null ? Clock.systemUTC() : clock;
        trainedAt = trainedAt == null ? clock.instant() : trainedAt;
    }

    /** A request stamped with the clock's current instant. */
    public TrainingRequest(Table table, DataSpec data, ModelSpec model, String modelName, String gitSha,
                        String dataSha256, Clock clock) {
        this(table, data, model, modelName, gitSha, dataSha256, clock, null);
    }
}
