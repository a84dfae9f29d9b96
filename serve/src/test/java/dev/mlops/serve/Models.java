package dev.mlops.serve;

import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.testing.TestModels;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Model files for server tests, written once per JVM. */
final class Models {
    private static Path linear;
    private static Path categorical;

    private Models() {
    }

    /** The engine fixture: inputs x0, x1, x2; label "pos" iff x0 + x1 > 0; git SHA "abc1234". */
    static synchronized Path linear() throws Exception {
        if (linear == null) {
            Path dir = java.nio.file.Files.createTempDirectory("serve-models");
            linear = dir.resolve("linear.tribuo");
            TestModels.writeLinearModel(linear, "demo", "abc1234");
        }
        return linear;
    }

    /** Inputs x0 (numeric) and color (categorical red/blue); label "pos" iff color is red. */
    static synchronized Path categorical() throws Exception {
        if (categorical == null) {
            ModelSchema schema = new ModelSchema(ModelSchema.FORMAT_VERSION, "colors", "label",
                    List.of(new ModelSchema.Input("x0", ColumnType.NUMERIC, null),
                            new ModelSchema.Input("color", ColumnType.CATEGORICAL, List.of("blue", "red"))),
                    List.of("neg", "pos"), "pos", "logistic", Map.of(), "def5678", "0".repeat(64), "2026-01-01T00:00:00Z");
            LabelFactory factory = new LabelFactory();
            Random rnd = new Random(3);
            List<Example<Label>> rows = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                boolean red = rnd.nextBoolean();
                rows.add(new ArrayExample<>(new Label(red ? "pos" : "neg"),
                        new String[]{"x0", red ? "color=red" : "color=blue"}, new double[]{rnd.nextGaussian() * 0.1, 1.0}));
            }
            var source = new ListDataSource<>(rows, factory, new SimpleDataSourceProvenance("colors", factory));
            var trainer = new LibLinearClassificationTrainer(
                    new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 10.0, 1000, 0.01);
            Path dir = java.nio.file.Files.createTempDirectory("serve-models");
            categorical = dir.resolve("colors.tribuo");
            ModelArtifact.save(trainer.train(new MutableDataset<>(source), ModelArtifact.provenance(schema)), categorical);
        }
        return categorical;
    }
}
