package dev.mlops.engine.model;

import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.spec.ColumnType;
import org.tribuo.Example;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns raw rows into Tribuo examples, the same way at training and at serving time. Numeric inputs become one
 * feature named after the column; categorical inputs are one-hot encoded as {@code column=level}. A missing numeric
 * cell (training only) leaves the feature out, which Tribuo treats as zero.
 */
public final class Featurizer {
    private static final Label UNKNOWN = LabelFactory.UNKNOWN_LABEL;

    private final ModelSchema schema;
    private final List<ModelSchema.Input> inputs;
    private final String[] numericNames;
    private final boolean allNumeric;
    private final Map<String, Integer> indexByName = new HashMap<>();

    public Featurizer(ModelSchema schema) {
        this.schema = schema;
        this.inputs = schema.inputs();
        this.numericNames = new String[inputs.size()];
        boolean numeric = true;
        for (int i = 0; i < inputs.size(); i++) {
            ModelSchema.Input in = inputs.get(i);
            numericNames[i] = in.name();
            numeric &= in.type() == ColumnType.NUMERIC;
            indexByName.put(in.name(), i);
        }
        this.allNumeric = numeric;
    }

    public ModelSchema schema() {
        return schema;
    }

    public int inputCount() {
        return inputs.size();
    }

    /** Training and evaluation: one row of a table whose columns include every input. */
    public Example<Label> fromTable(Table table, int row, Label label) {
        List<String> names = new ArrayList<>(inputs.size());
        List<Double> values = new ArrayList<>(inputs.size());
        for (ModelSchema.Input in : inputs) {
            Column c = table.column(in.name());
            if (c.isMissing(row)) {
                continue;
            }
            if (c instanceof NumericColumn n) {
                names.add(in.name());
                values.add(n.get(row));
            } else {
                names.add(in.name() + "=" + c.text(row));
                values.add(1.0);
            }
        }
        return example(label, names, values);
    }

    /** The fast path for models whose inputs are all numeric: values in input order. */
    public Example<Label> fromNumbers(double[] values) {
        if (!allNumeric) {
            throw new FeatureException("this model has categorical inputs; send them by name or as strings");
        }
        if (values.length != inputs.size()) {
            throw new FeatureException("expected " + inputs.size() + " features, got " + values.length);
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new FeatureException("feature '" + numericNames[i] + "' is not a finite number");
            }
        }
        return new ArrayExample<>(UNKNOWN, numericNames, values);
    }

    /** Positional values in input order: numbers for numeric inputs, strings for categorical ones. */
    public Example<Label> fromValues(List<?> values) {
        if (values.size() != inputs.size()) {
            throw new FeatureException("expected " + inputs.size() + " features, got " + values.size());
        }
        List<String> names = new ArrayList<>(inputs.size());
        List<Double> vals = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            add(inputs.get(i), values.get(i), names, vals);
        }
        return example(UNKNOWN, names, vals);
    }

    /** Named values: every input must be present and no unknown name is accepted. */
    public Example<Label> fromNamed(Map<String, ?> values) {
        for (String key : values.keySet()) {
            if (!indexByName.containsKey(key)) {
                throw new FeatureException("unknown feature '" + key + "'; expected " + schema.inputNames());
            }
        }
        List<String> names = new ArrayList<>(inputs.size());
        List<Double> vals = new ArrayList<>(inputs.size());
        for (ModelSchema.Input in : inputs) {
            if (!values.containsKey(in.name())) {
                throw new FeatureException("missing feature '" + in.name() + "'");
            }
            add(in, values.get(in.name()), names, vals);
        }
        return example(UNKNOWN, names, vals);
    }

    private static void add(ModelSchema.Input in, Object value, List<String> names, List<Double> vals) {
        if (value == null) {
            throw new FeatureException("feature '" + in.name() + "' is null");
        }
        if (in.type() == ColumnType.NUMERIC) {
            double d;
            if (value instanceof Number n) {
                d = n.doubleValue();
            } else {
                throw new FeatureException("feature '" + in.name() + "' must be a number, got " + describe(value));
            }
            if (!Double.isFinite(d)) {
                throw new FeatureException("feature '" + in.name() + "' is not a finite number");
            }
            names.add(in.name());
            vals.add(d);
        } else {
            String s = value.toString();
            if (!in.levels().contains(s)) {
                throw new FeatureException("feature '" + in.name() + "': unknown category '" + s + "'; expected one of " + in.levels());
            }
            names.add(in.name() + "=" + s);
            vals.add(1.0);
        }
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : value.getClass().getSimpleName();
    }

    private static Example<Label> example(Label label, List<String> names, List<Double> values) {
        String[] n = names.toArray(new String[0]);
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
        }
        return new ArrayExample<>(label, n, v);
    }
}
