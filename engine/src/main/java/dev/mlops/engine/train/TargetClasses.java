package dev.mlops.engine.train;

import dev.mlops.engine.InputException;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.DataSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a table holds for training: the classes of the target (checked: a label on every row, at least two classes,
 * at most {@code model.maxClasses}, not a continuous number), each row's class, and the feature inputs.
 */
final class TargetClasses {
    /** A numeric target with more distinct values than this, some not whole, is a measurement, not a label. */
    static final int CONTINUOUS_MIN_DISTINCT = 20;
    private static final int EXAMPLES = 3;

    /** Class labels, sorted. */
    List<String> labels;
    /** The class (index into labels) of every table row. */
    int[] klass;
    int[] counts;
    List<ModelSchema.Input> inputs;
    int featureCount;
    List<String> numeric = new ArrayList<>();
    String positiveClass;
    int positive;

    private TargetClasses() {
    }

    static TargetClasses prepare(Table table, DataSpec data, int maxClasses) {
        String target = data.target();
        if (target == null || target.isBlank()) {
            throw new InputException("data.target: required: the column holding the label");
        }
        Column t = table.find(target).orElseThrow(() -> new InputException(table.source()
                + ": target column '" + target + "' (data.target) is missing; columns are " + table.columnNames()));
        String sensitive = data.sensitive();
        if (sensitive != null) {
            if (sensitive.equals(target)) {
                throw new InputException("data.sensitive: '" + sensitive + "' is the target column; "
                        + "name the column holding the group attribute");
            }
            if (table.find(sensitive).isEmpty()) {
                throw new InputException(table.source() + ": sensitive column '" + sensitive
                        + "' (data.sensitive) is missing; columns are " + table.columnNames());
            }
        }
        int n = table.rowCount();
        if (n == 0) {
            throw new InputException(table.source() + ": no data rows to train on");
        }
        refuseNonClassLabels(table, t, maxClasses);
        TargetClasses p = new TargetClasses();
        if (t instanceof NumericColumn num) {
            p.numericClasses(table, num);
        } else {
            p.categoricalClasses(table, (CategoricalColumn) t);
        }
        if (p.labels.size() < 2) {
            throw new InputException(table.source() + ": target column '" + target + "' has only one class ('"
                    + p.labels.get(0) + "' in all " + n + " rows); a classifier needs at least two");
        }
        p.counts = new int[p.labels.size()];
        for (int k : p.klass) {
            p.counts[k]++;
        }
        p.inputs = new ArrayList<>();
        for (Column c : table.columns()) {
            if (c.name().equals(target) || c.name().equals(sensitive)) {
                continue;
            }
            if (c instanceof NumericColumn) {
                p.inputs.add(new ModelSchema.Input(c.name(), ColumnType.NUMERIC, null));
                p.numeric.add(c.name());
                p.featureCount++;
            } else {
                CategoricalColumn cc = (CategoricalColumn) c;
                p.inputs.add(new ModelSchema.Input(c.name(), ColumnType.CATEGORICAL, cc.levels()));
                p.featureCount += cc.levels().size();
            }
        }
        if (p.inputs.size() < 2) {
            throw new InputException(table.source() + ": training needs at least 2 feature columns besides the target '"
                    + target + "'" + (sensitive == null ? "" : " and the sensitive column '" + sensitive + "'")
                    + "; found " + p.inputs.size() + " " + p.inputs.stream().map(ModelSchema.Input::name).toList());
        }
        if (p.labels.size() == 2) {
            String pc = data.positiveClass();
            if (pc != null && !p.labels.contains(pc)) {
                throw new InputException("data.positiveClass: '" + pc + "' is not a class of target '" + target
                        + "' in " + table.source() + "; classes are " + p.labels);
            }
            p.positiveClass = pc != null ? pc : p.labels.get(1);
            p.positive = p.labels.indexOf(p.positiveClass);
        } else {
            p.positiveClass = null;
            p.positive = -1;
        }
        return p;
    }

    /**
     * Refuses, in one short line, a target that does not hold class labels: more distinct values than
     * {@code maxClasses}, or a numeric column that looks continuous (more than {@link #CONTINUOUS_MIN_DISTINCT}
     * distinct numbers, some not whole). Empty cells are left to the other checks. Checked before anything else
     * looks at the classes, so no message ever lists hundreds of them.
     */
    static void refuseNonClassLabels(Table table, Column t, int maxClasses) {
        if (t instanceof NumericColumn num) {
            double[] v = num.values();
            // Distinct values counted only up to the bound, so a million-row price column is refused at once.
            java.util.Set<Double> seen = new java.util.HashSet<>();
            boolean fractional = false;
            for (int r = 0; r < v.length && seen.size() <= maxClasses; r++) {
                if (!Double.isNaN(v[r]) && seen.add(v[r])) {
                    fractional |= v[r] != Math.rint(v[r]);
                }
            }
            boolean tooMany = seen.size() > maxClasses;
            if (!tooMany && !(fractional && seen.size() > CONTINUOUS_MIN_DISTINCT)) {
                return;
            }
            List<String> shown = new ArrayList<>();
            for (double d : new TreeSet<>(seen)) {
                if (shown.size() == EXAMPLES) {
                    break;
                }
                shown.add(text(d));
            }
            String head = table.source() + ": target column '" + t.name() + "'";
            if (fractional) {
                throw new InputException(head + " looks continuous (" + (tooMany ? "more than " + maxClasses
                        : String.valueOf(seen.size())) + " distinct numbers, not all whole, e.g. "
                        + String.join(", ", shown) + "); only classification is supported: the target must hold "
                        + "class labels");
            }
            throw new InputException(head + " has more than model.maxClasses = " + maxClasses + " distinct values (e.g. "
                    + String.join(", ", shown) + "); only classification is supported: check data.target, or raise "
                    + "model.maxClasses if that many classes is intended");
        }
        CategoricalColumn c = (CategoricalColumn) t;
        boolean[] used = new boolean[c.levels().size()];
        int distinct = 0;
        for (int code : c.codes()) {
            if (code >= 0 && !used[code]) {
                used[code] = true;
                distinct++;
            }
        }
        if (distinct > maxClasses) {
            TreeSet<String> names = new TreeSet<>();
            for (int l = 0; l < used.length; l++) {
                if (used[l]) {
                    names.add(c.levels().get(l));
                }
            }
            throw new InputException(table.source() + ": target column '" + t.name() + "' has " + distinct
                    + " classes, more than model.maxClasses = " + maxClasses + " (e.g. " + examples(names)
                    + "); check data.target, or raise model.maxClasses if that many classes is intended");
        }
    }

    private void categoricalClasses(Table table, CategoricalColumn t) {
        int[] codes = t.codes();
        boolean[] used = new boolean[t.levels().size()];
        for (int r = 0; r < codes.length; r++) {
            if (codes[r] < 0) {
                throw missingLabel(table, t, r);
            }
            used[codes[r]] = true;
        }
        TreeSet<String> distinct = new TreeSet<>();
        for (int l = 0; l < used.length; l++) {
            if (used[l]) {
                distinct.add(t.levels().get(l));
            }
        }
        labels = List.copyOf(distinct);
        Map<String, Integer> index = index(labels);
        int[] classOfCode = new int[used.length];
        for (int l = 0; l < used.length; l++) {
            classOfCode[l] = used[l] ? index.get(t.levels().get(l)) : -1;
        }
        klass = new int[codes.length];
        for (int r = 0; r < codes.length; r++) {
            klass[r] = classOfCode[codes[r]];
        }
    }

    private void numericClasses(Table table, NumericColumn t) {
        double[] v = t.values();
        Map<Double, Integer> seen = new HashMap<>();
        for (int r = 0; r < v.length; r++) {
            if (Double.isNaN(v[r])) {
                throw missingLabel(table, t, r);
            }
            seen.putIfAbsent(v[r], seen.size());
        }
        TreeSet<String> distinct = new TreeSet<>();
        Map<Double, String> textOf = new HashMap<>();
        for (double d : seen.keySet()) {
            String s = text(d);
            textOf.put(d, s);
            distinct.add(s);
        }
        labels = List.copyOf(distinct);
        Map<String, Integer> index = index(labels);
        Map<Double, Integer> classOf = new HashMap<>();
        textOf.forEach((d, s) -> classOf.put(d, index.get(s)));
        klass = new int[v.length];
        for (int r = 0; r < v.length; r++) {
            klass[r] = classOf.get(v[r]);
        }
    }

    /** A numeric label as the column prints it (whole numbers without a fraction). */
    private static String text(double v) {
        return new NumericColumn("", new double[]{v}).text(0);
    }

    private static Map<String, Integer> index(List<String> labels) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            index.put(labels.get(i), i);
        }
        return index;
    }

    private static String examples(TreeSet<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (out.size() == EXAMPLES) {
                break;
            }
            out.add("'" + (v.length() > 20 ? v.substring(0, 20) + "..." : v) + "'");
        }
        return String.join(", ", out);
    }

    private static InputException missingLabel(Table table, Column t, int row) {
        return new InputException(table.source() + ": row " + (row + 1) + ", target column '" + t.name()
                + "' is empty or NaN; every training row needs a label");
    }
}
