package dev.mlops.engine.evaluate;

import dev.mlops.engine.InputException;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.Featurizer;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Builds Tribuo examples for many table rows at once. Features are exactly those of {@link Featurizer#fromTable};
 * when every input is numeric the rows are built straight from the column arrays, with the feature names sorted
 * once (Tribuo keeps features sorted by name) instead of per row.
 */
public final class TableExamples {
    private final Table table;
    private final Featurizer featurizer;
    private final NumericColumn[] sortedColumns;
    private final String[] sortedNames;

    /** Checks that the table has every input of the schema with the schema's type. */
    public TableExamples(Table table, ModelSchema schema) {
        this.table = table;
        this.featurizer = new Featurizer(schema);
        boolean allNumeric = true;
        for (ModelSchema.Input in : schema.inputs()) {
            Column c = table.column(in.name());
            boolean numeric = c instanceof NumericColumn;
            if (numeric != (in.type() == ColumnType.NUMERIC)) {
                throw new InputException(table.source() + ": column '" + in.name() + "' is "
                        + (numeric ? "numeric" : "categorical") + " but the model expects it "
                        + in.type().name().toLowerCase(java.util.Locale.ROOT));
            }
            allNumeric &= numeric;
        }
        if (allNumeric) {
            List<ModelSchema.Input> inputs = schema.inputs();
            Integer[] order = new Integer[inputs.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> inputs.get(a).name().compareTo(inputs.get(b).name()));
            sortedNames = new String[order.length];
            sortedColumns = new NumericColumn[order.length];
            for (int i = 0; i < order.length; i++) {
                sortedNames[i] = inputs.get(order[i]).name();
                sortedColumns[i] = (NumericColumn) table.column(sortedNames[i]);
            }
        } else {
            sortedNames = null;
            sortedColumns = null;
        }
    }

    public Example<Label> example(int row, Label label) {
        if (sortedColumns != null) {
            double[] values = new double[sortedColumns.length];
            boolean complete = true;
            for (int j = 0; j < values.length; j++) {
                values[j] = sortedColumns[j].values()[row];
                complete &= !Double.isNaN(values[j]);
            }
            if (complete) {
                return new ArrayExample<>(label, sortedNames, values);
            }
        }
        return featurizer.fromTable(table, row, label);
    }

    /**
     * Examples for {@code rows}, each labelled {@code labels[i]} (use LabelFactory.UNKNOWN_LABEL when unknown), in
     * row order. Large requests are built on all cores: each example is independent of the others.
     */
    public List<Example<Label>> examples(int[] rows, Label[] labels) {
        if (rows.length >= PARALLEL_THRESHOLD) {
            return IntStream.range(0, rows.length).parallel().mapToObj(i -> example(rows[i], labels[i])).toList();
        }
        List<Example<Label>> out = new ArrayList<>(rows.length);
        for (int i = 0; i < rows.length; i++) {
            out.add(example(rows[i], labels[i]));
        }
        return out;
    }

    private static final int PARALLEL_THRESHOLD = 50_000;

    /** The column's cell as the text used for labels and groups; categorical cells use their level. */
    static String cell(Column c, int row) {
        if (c instanceof CategoricalColumn cc) {
            int code = cc.codes()[row];
            return code < 0 ? null : cc.levels().get(code);
        }
        return c.text(row);
    }
}
