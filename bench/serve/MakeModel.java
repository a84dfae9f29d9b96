// Writes a logistic-regression model with 30 numeric inputs (the width of examples/breast-cancer) for the serving
// benchmark, until `mlops train` can produce the real one. Run with the CLI's classpath:
//   java -cp 'cli/target/mlops.jar:cli/target/lib/*' bench/serve/MakeModel.java out.tribuo
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import org.tribuo.Example;
import org.tribuo.Model;
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

public class MakeModel {
    public static void main(String[] args) {
        int n = 30;
        String[] names = new String[n];
        List<ModelSchema.Input> inputs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names[i] = "f" + i;
            inputs.add(new ModelSchema.Input(names[i], ColumnType.NUMERIC, null));
        }
        ModelSchema schema = new ModelSchema(ModelSchema.FORMAT_VERSION, "bench-30", "label", inputs,
                List.of("benign", "malignant"), "malignant", "logistic", Map.of("C", "1.0"), "bench000",
                "0".repeat(64), "2026-01-01T00:00:00Z");
        LabelFactory factory = new LabelFactory();
        Random rnd = new Random(11);
        List<Example<Label>> rows = new ArrayList<>();
        for (int r = 0; r < 2000; r++) {
            double[] v = new double[n];
            double s = 0;
            for (int i = 0; i < n; i++) {
                v[i] = rnd.nextGaussian();
                s += (i % 3 == 0 ? 1 : -0.5) * v[i];
            }
            rows.add(new ArrayExample<>(new Label(s > 0 ? "malignant" : "benign"), names, v));
        }
        var source = new ListDataSource<>(rows, factory, new SimpleDataSourceProvenance("synthetic bench rows", factory));
        var trainer = new LibLinearClassificationTrainer(
                new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 1.0, 1000, 0.01);
        Model<Label> model = trainer.train(new MutableDataset<>(source), ModelArtifact.provenance(schema));
        ModelArtifact.save(model, Path.of(args[0]));
        System.out.println("wrote " + args[0]);
    }
}
