package dev.mlops.engine.evaluate;

import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.Featurizer;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TableExamplesTest {

    /** The fast numeric path must give exactly the features serving builds, or models would see other inputs. */
    @Test
    void fastPathMatchesTheFeaturizer() {
        Table t = new Table("t", List.of(new NumericColumn("zeta", new double[]{1, 2, Double.NaN}),
                new NumericColumn("alpha", new double[]{-1, 0.5, 3}),
                new CategoricalColumn("y", new int[]{0, 1, 0}, List.of("a", "b"))));
        ModelSchema schema = new ModelSchema(1, "m", "y", List.of(new ModelSchema.Input("zeta", ColumnType.NUMERIC, null),
                new ModelSchema.Input("alpha", ColumnType.NUMERIC, null)), List.of("a", "b"), "b", "logistic",
                Map.of(), "s", "h", "t");
        TableExamples fast = new TableExamples(t, schema);
        Featurizer slow = new Featurizer(schema);
        Label l = new Label("a");
        for (int row = 0; row < 3; row++) {
            assertThat(fast.example(row, l).toString()).isEqualTo(slow.fromTable(t, row, l).toString());
        }
        assertThat(fast.example(2, l).size()).isEqualTo(1); // the missing cell is left out, as the featurizer does
    }
}
