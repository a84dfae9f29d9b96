package dev.mlops.engine.train;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import dev.mlops.engine.Log;
import dev.mlops.engine.evaluate.Predictions;
import dev.mlops.engine.model.ModelSchema;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** {@code logistic}: {@link SoftmaxTrainer} fitted straight on the table's column arrays, predictions on arrays. */
final class ColumnFitter implements Fitter {
    private final TrainingRequest request;
    private final DesignMatrix x;
    private final List<String> labels;
    private final Log log;

    ColumnFitter(TrainingRequest request, ModelSchema schema, List<String> labels, Log log) {
        this.request = request;
        this.x = DesignMatrix.of(request.table(), schema.inputs());
        this.labels = labels;
        this.log = log;
    }

    @Override
    public Fitted fit(Map<String, Double> point, int[] rows, int[] klass, String detail,
                      Map<String, Provenance> instance) {
        // A fresh trainer per fit, as for the Tribuo trainers: its provenance counts its own invocations.
        SoftmaxTrainer trainer = (SoftmaxTrainer) Trainers.create(request.model().algorithm(), point,
                request.model().standardize(), request.model().seed(), x.features(), List.of());
        SoftmaxTrainer.Fitted fitted = trainer.fit(x, rows, klass, labels, log, detail);
        return new Fitted() {
            private Model<Label> model;

            @Override
            public Predictions predict(int[] r) {
                return fitted.predict(r);
            }

            @Override
            public synchronized Model<Label> model() {
                if (model == null) {
                    OffsetDateTime at = OffsetDateTime.ofInstant(request.trainedAt(), ZoneOffset.UTC);
                    model = fitted.model(new SimpleDataSourceProvenance(request.table().source()
                            + " training split", at, new LabelFactory()), at, instance == null ? Map.of() : instance);
                }
                return model;
            }
        };
    }
}
