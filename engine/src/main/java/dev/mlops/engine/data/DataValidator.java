package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.report.Check;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.Verdict;
import dev.mlops.engine.spec.ColumnSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.DataChecks;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.DriftSpec;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Data checks on a loaded table: required columns, schema types, allowed categories, numeric ranges, null shares,
 * row count, duplicate rows, label balance and drift against a reference table. Every check becomes a
 * {@link Check} row; only conditions that make the rest meaningless (no target column, fewer than two classes) are
 * {@link InputException}s. Row numbers in messages are 1-based data rows (row 1 is the first row after the header).
 */
public final class DataValidator {
    /** How many offending rows a message names before summarising the rest as "(+n more)". */
    static final int ROWS_NAMED = 3;

    private DataValidator() {
    }

    public static CheckReport validate(Table table, DataSpec spec, Optional<Table> reference, Log log) {
        Log out = log == null ? Log.NONE : log;
        DataChecks limits = spec.checks();
        String target = spec.target();
        if (target != null && table.find(target).isEmpty()) {
            throw new InputException(table.source() + ": target column '" + target + "' not found; columns are "
                    + table.columnNames());
        }
        List<Check> checks = new ArrayList<>();

        Set<String> required = new LinkedHashSet<>();
        if (target != null) {
            required.add(target);
        }
        if (spec.sensitive() != null) {
            required.add(spec.sensitive());
        }
        required.addAll(spec.schema().keySet());
        for (String name : required) {
            boolean present = table.find(name).isPresent();
            checks.add(new Check("column present", name, null, null, null, "column exists",
                    present ? Verdict.PASS : Verdict.FAIL,
                    present ? "present" : "no column named '" + name + "'; columns are " + table.columnNames()));
        }

        for (Map.Entry<String, ColumnSchema> e : spec.schema().entrySet()) {
            Optional<Column> col = table.find(e.getKey());
            if (col.isPresent() && e.getValue() != null) {
                schemaChecks(col.get(), e.getValue(), checks);
            }
        }

        int rows = table.rowCount();
        for (Column c : table.columns()) {
            ColumnSchema cs = spec.schema().get(c.name());
            double limit = cs != null && cs.maxNullShare() != null ? cs.maxNullShare() : limits.maxNullShare();
            long missing = c.missingCount();
            double share = rows == 0 ? 0 : (double) missing / rows;
            checks.add(new Check("null share", c.name(), share, limit, null, "null share <= " + num(limit),
                    share <= limit ? Verdict.PASS : Verdict.FAIL,
                    missing + " of " + rows + " rows empty (" + pct(share) + ")"));
        }

        int minRows = limits.minRows();
        checks.add(new Check("row count", null, (double) rows, (double) minRows, null, "rows >= " + minRows,
                rows >= minRows ? Verdict.PASS : Verdict.FAIL, rows + " rows"));

        checks.add(duplicates(table, limits.maxDuplicateShare()));

        if (target != null) {
            labelBalance(table.column(target), table.source(), limits.minClassShare(), checks);
        }

        reference.ifPresent(ref -> drift(table, ref, target, limits.drift(), checks, out));

        Map<String, String> context = new LinkedHashMap<>();
        context.put("data", table.source());
        context.put("rows", Integer.toString(rows));
        context.put("columns", Integer.toString(table.columns().size()));
        context.put("reference", reference.map(Table::source).orElse("none (drift not checked)"));
        CheckReport report = new CheckReport("Data checks", checks, context);
        out.info("data checks on " + table.source() + ": " + report.failures().size() + " failed, "
                + report.warnings().size() + " warnings, " + checks.size() + " checks");
        return report;
    }

    private static void schemaChecks(Column col, ColumnSchema cs, List<Check> checks) {
        String name = col.name();
        if (cs.type() != null) {
            ColumnType actual = col instanceof NumericColumn ? ColumnType.NUMERIC : ColumnType.CATEGORICAL;
            boolean ok = actual == cs.type();
            String message = ok ? "column is " + lower(actual) : "column is " + lower(actual) + ", schema says "
                    + lower(cs.type());
            if (!ok && col instanceof CategoricalColumn cc) {
                for (int r = 0; r < cc.size(); r++) {
                    String t = cc.text(r);
                    if (t != null && !isNumber(t)) {
                        message += "; row " + (r + 1) + " holds " + CsvReader.quote(t);
                        break;
                    }
                }
            }
            checks.add(new Check("column type", name, null, null, null, "type " + lower(cs.type()),
                    ok ? Verdict.PASS : Verdict.FAIL, message));
        }
        if (cs.values() != null) {
            Set<String> allowed = new LinkedHashSet<>(cs.values());
            List<Integer> bad = new ArrayList<>();
            Set<String> badValues = new LinkedHashSet<>();
            for (int r = 0; r < col.size(); r++) {
                String t = col.text(r);
                if (t != null && !allowed.contains(t)) {
                    bad.add(r);
                    badValues.add(t);
                }
            }
            String rule = "values in " + cs.values();
            String message = bad.isEmpty() ? "all values allowed"
                    : rowList(bad) + ": " + quoted(badValues) + " not in " + cs.values();
            checks.add(new Check("allowed values", name, (double) bad.size(), null, null, rule,
                    bad.isEmpty() ? Verdict.PASS : Verdict.FAIL, message));
        }
        if ((cs.min() != null || cs.max() != null) && col instanceof NumericColumn nc) {
            double lo = cs.min() == null ? Double.NEGATIVE_INFINITY : cs.min();
            double hi = cs.max() == null ? Double.POSITIVE_INFINITY : cs.max();
            List<Integer> bad = new ArrayList<>();
            Set<String> badValues = new LinkedHashSet<>();
            for (int r = 0; r < nc.size(); r++) {
                double v = nc.get(r);
                if (!Double.isNaN(v) && (v < lo || v > hi)) {
                    bad.add(r);
                    if (badValues.size() < ROWS_NAMED) {
                        badValues.add(nc.text(r));
                    }
                }
            }
            String range = "[" + (cs.min() == null ? "-inf" : num(cs.min())) + ", "
                    + (cs.max() == null ? "inf" : num(cs.max())) + "]";
            String message = bad.isEmpty() ? "all values in " + range
                    : rowList(bad) + ": " + String.join(", ", badValues) + " outside " + range;
            checks.add(new Check("range", name, (double) bad.size(), null, null, "values in " + range,
                    bad.isEmpty() ? Verdict.PASS : Verdict.FAIL, message));
        }
    }

    /** Share of rows that repeat an earlier row exactly, found with a hash table of row hashes (O(rows)). */
    private static Check duplicates(Table table, double limit) {
        int n = table.rowCount();
        List<Column> cols = table.columns();
        long[] hashes = new long[n];
        for (Column c : cols) {
            if (c instanceof NumericColumn nc) {
                double[] v = nc.values();
                for (int r = 0; r < n; r++) {
                    hashes[r] = mix(hashes[r] * 31 + Double.doubleToLongBits(v[r]));
                }
            } else {
                int[] codes = ((CategoricalColumn) c).codes();
                for (int r = 0; r < n; r++) {
                    hashes[r] = mix(hashes[r] * 31 + codes[r]);
                }
            }
        }
        int cap = Integer.highestOneBit(Math.max(4, n) * 2 - 1) << 1;
        int[] slots = new int[cap];
        int mask = cap - 1;
        long dupes = 0;
        int firstDup = -1;
        int firstOriginal = -1;
        for (int r = 0; r < n; r++) {
            int i = (int) (hashes[r] ^ (hashes[r] >>> 32)) & mask;
            while (true) {
                int other = slots[i] - 1;
                if (other < 0) {
                    slots[i] = r + 1;
                    break;
                }
                if (hashes[other] == hashes[r] && sameRow(cols, other, r)) {
                    dupes++;
                    if (firstDup < 0) {
                        firstDup = r;
                        firstOriginal = other;
                    }
                    break;
                }
                i = (i + 1) & mask;
            }
        }
        double share = n == 0 ? 0 : (double) dupes / n;
        String message = dupes == 0 ? "no row repeats an earlier row"
                : dupes + " of " + n + " rows (" + pct(share) + ") repeat an earlier row; first: row "
                + (firstDup + 1) + " = row " + (firstOriginal + 1);
        return new Check("duplicate rows", null, share, limit, null, "duplicate share <= " + num(limit),
                share <= limit ? Verdict.PASS : Verdict.FAIL, message);
    }

    private static boolean sameRow(List<Column> cols, int a, int b) {
        for (Column c : cols) {
            if (c instanceof NumericColumn nc) {
                if (Double.doubleToLongBits(nc.get(a)) != Double.doubleToLongBits(nc.get(b))) {
                    return false;
                }
            } else if (((CategoricalColumn) c).codes()[a] != ((CategoricalColumn) c).codes()[b]) {
                return false;
            }
        }
        return true;
    }

    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return h;
    }

    private static void labelBalance(Column label, String source, double minShare, List<Check> checks) {
        Map<String, Long> counts = new LinkedHashMap<>();
        long total = 0;
        for (int r = 0; r < label.size(); r++) {
            String t = label.text(r);
            if (t != null) {
                counts.merge(t, 1L, Long::sum);
                total++;
            }
        }
        if (counts.isEmpty()) {
            throw new InputException(source + ": target '" + label.name() + "' has no values (every cell is empty)");
        }
        if (counts.size() == 1) {
            throw new InputException(source + ": target '" + label.name() + "' has one class only: '"
                    + counts.keySet().iterator().next() + "'; training needs at least two");
        }
        List<String> classes = new ArrayList<>(counts.keySet());
        classes.sort(null);
        for (String cls : classes) {
            long k = counts.get(cls);
            double share = (double) k / total;
            checks.add(new Check("class share", label.name() + "=" + cls, share, minShare, null,
                    "class share >= " + num(minShare), share >= minShare ? Verdict.PASS : Verdict.FAIL,
                    k + " of " + total + " labelled rows (" + pct(share) + ")"));
        }
    }

    private static void drift(Table table, Table ref, String target, DriftSpec d, List<Check> checks, Log log) {
        List<Column> features = new ArrayList<>();
        for (Column c : table.columns()) {
            if (!c.name().equals(target)) {
                features.add(c);
            }
        }
        int done = 0;
        for (Column c : features) {
            log.progress("drift", done++, features.size(), c.name());
            Optional<Column> rc = ref.find(c.name());
            if (rc.isEmpty()) {
                checks.add(new Check("drift psi", c.name(), null, null, null, "column in reference", Verdict.WARN,
                        "reference " + ref.source() + " has no column '" + c.name() + "'; drift not measured"));
                continue;
            }
            String psiRule = "PSI < " + num(d.psiWarn()) + " (warn), < " + num(d.psiFail()) + " (fail)";
            double psi;
            if (c instanceof NumericColumn cur && rc.get() instanceof NumericColumn rn) {
                // Sort each side once for both statistics: on a million rows the sorts are most of the cost.
                double[] refSorted = Drift.sortedFinite(rn.values());
                double[] curSorted = Drift.sortedFinite(cur.values());
                psi = Drift.psiSorted(refSorted, curSorted, d.bins());
                addPsi(c.name(), psi, d, psiRule + ", " + d.bins() + " quantile bins of the reference", checks);
                Drift.KsResult ks = Drift.ksSorted(refSorted, curSorted);
                if (Double.isNaN(ks.pValue())) {
                    checks.add(new Check("drift ks", c.name(), null, d.ksPValue(), null, "KS p >= " + num(d.ksPValue()),
                            Verdict.SKIP, "no values on one side"));
                } else {
                    boolean fail = ks.pValue() < d.ksPValue();
                    checks.add(new Check("drift ks", c.name(), ks.pValue(), d.ksPValue(), null,
                            "KS p-value >= " + num(d.ksPValue()), fail ? Verdict.FAIL : Verdict.PASS,
                            "D = " + num(ks.statistic()) + ", p = " + num(ks.pValue())));
                }
            } else {
                psi = Drift.psiCategorical(texts(rc.get()), texts(c));
                String note = c instanceof NumericColumn != rc.get() instanceof NumericColumn
                        ? " (column types differ between data and reference; compared as text)" : "";
                addPsi(c.name(), psi, d, psiRule + ", one bin per category" + note, checks);
            }
        }
        log.progress("drift", features.size(), features.size(), "done");
    }

    private static void addPsi(String column, double psi, DriftSpec d, String rule, List<Check> checks) {
        if (Double.isNaN(psi)) {
            checks.add(new Check("drift psi", column, null, d.psiFail(), null, rule, Verdict.SKIP,
                    "no values on one side"));
            return;
        }
        Verdict v = psi >= d.psiFail() ? Verdict.FAIL : psi >= d.psiWarn() ? Verdict.WARN : Verdict.PASS;
        checks.add(new Check("drift psi", column, psi, d.psiFail(), null, rule, v, "PSI = " + num(psi)));
    }

    private static String[] texts(Column c) {
        String[] out = new String[c.size()];
        for (int r = 0; r < out.length; r++) {
            out[r] = c.text(r);
        }
        return out;
    }

    /** "rows 5, 9, 12 (+3 more)" for 1-based data rows. */
    static String rowList(List<Integer> rows) {
        StringBuilder sb = new StringBuilder(rows.size() == 1 ? "row " : "rows ");
        for (int i = 0; i < Math.min(ROWS_NAMED, rows.size()); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(rows.get(i) + 1);
        }
        if (rows.size() > ROWS_NAMED) {
            sb.append(" (+").append(rows.size() - ROWS_NAMED).append(" more)");
        }
        return sb.toString();
    }

    private static String quoted(Set<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            if (out.size() == ROWS_NAMED) {
                out.add("...");
                break;
            }
            out.add(CsvReader.quote(v));
        }
        return String.join(", ", out);
    }

    private static boolean isNumber(String s) {
        Decimal p = new Decimal();
        p.parse(s);
        return p.status() == Decimal.OK;
    }

    private static String lower(ColumnType t) {
        return t.name().toLowerCase(Locale.ROOT);
    }

    /** A short number for messages: up to four significant digits, no trailing zeros. */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.toString(v);
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return new BigDecimal(String.format(Locale.ROOT, "%.4g", v)).stripTrailingZeros().toPlainString();
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.1f%%", share * 100);
    }
}
