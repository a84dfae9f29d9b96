package dev.mlops.engine.testing;

import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.Example;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Small models with known behaviour for tests of anything that loads or serves a model. The data is separable
 * by construction: label "pos" iff x0 + x1 > 0, so a linear model gets (nearly) every clear-cut row right.
 */
public final class TestModels {
    private TestModels() {
    }

    public static ModelSchema linearSchema(String name, String gitSha) {
        return new ModelSchema(ModelSchema.FORMAT_VERSION, name, "label",
                List.of(new ModelSchema.Input("x0", ColumnType.NUMERIC, null),
                        new ModelSchema.Input("x1", ColumnType.NUMERIC, null),
                        new ModelSchema.Input("x2", ColumnType.NUMERIC, null)),
                List.of("neg", "pos"), "pos", "logistic", Map.of("C", "1.0"), gitSha, "0".repeat(64),
                "2026-01-01T00:00:00Z");
    }

    /** Trains a logistic regression on 400 synthetic rows and writes it to {@code file}; returns the schema. */
    public static ModelSchema writeLinearModel(Path file, String name, String gitSha) {
        ModelSchema schema = linearSchema(name, gitSha);
        LabelFactory factory = new LabelFactory();
        Random rnd = new Random(7);
        List<Example<Label>> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            double x0 = rnd.nextGaussian();
            double x1 = rnd.nextGaussian();
            double x2 = rnd.nextGaussian();
            rows.add(new org.tribuo.impl.ArrayExample<>(new Label(x0 + x1 > 0 ? "pos" : "neg"),
                    new String[]{"x0", "x1", "x2"}, new double[]{x0, x1, x2}));
        }
        var source = new ListDataSource<>(rows, factory, new SimpleDataSourceProvenance("synthetic x0+x1>0", factory));
        var dataset = new MutableDataset<>(source);
        var trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 10.0, 1000, 0.01);
        Model<Label> model = trainer.train(dataset, ModelArtifact.provenance(schema));
        ModelArtifact.save(model, file);
        return schema;
    }
}
