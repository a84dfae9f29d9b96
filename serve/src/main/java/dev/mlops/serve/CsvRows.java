package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import dev.mlops.engine.model.FeatureException;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.ColumnType;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@code text/csv} body of MLflow's {@code /invocations} as rows for the model. MLflow reads it with
 * {@code pandas.read_csv}, so its first line is always the header and columns are matched to the signature by name;
 * here a header is recognised when its cells name the model's inputs (any order; an empty first cell is the index
 * column {@code DataFrame.to_csv()} writes by default, and is ignored), and a body without one is read
 * positionally in the model's input order. Validation is the JSON paths': finite decimal numbers only (no NaN,
 * no infinity), no empty cells, known categories, at most {@code maxBatch} rows; each error names the row, line
 * and column. RFC 4180 quoting is Jackson's CSV parser's.
 */
final class CsvRows {
    private static final CsvFactory FACTORY = new CsvFactory();
    /** What pandas would read as a number, minus NaN and infinity: sign, digits with an optional point, exponent. */
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private final ServedModel model;
    private final int maxBatch;
    private final List<ModelSchema.Input> inputs;

    CsvRows(ServedModel model, int maxBatch) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.inputs = model.schema().inputs();
    }

    List<Example<Label>> parse(byte[] body, int len) {
        try (CsvParser p = (CsvParser) FACTORY.createParser(body, 0, len)) {
            Row first = next(p);
            if (first == null) {
                throw ApiException.badRequest("the CSV body has no rows; send a header row with the model's inputs "
                        + model.schema().inputNames() + " (optional) and one line per row");
            }
            int[] columns = header(first.cells);
            boolean hasHeader = columns != null;
            int width = hasHeader ? first.cells.length : inputs.size();
            if (!hasHeader) {
                columns = new int[inputs.size()];
                Arrays.setAll(columns, i -> i);
            }
            List<Example<Label>> rows = new ArrayList<>();
            for (Row r = hasHeader ? next(p) : first; r != null; r = next(p)) {
                if (rows.size() + 1 > maxBatch) {
                    throw new ApiException(413, "too many rows: at most " + maxBatch + " per request (--max-batch); "
                            + "split the batch");
                }
                String at = "row " + (rows.size() + 1) + " (line " + r.line + ")";
                if (r.cells.length != width) {
                    throw ApiException.badRequest(at + " has " + r.cells.length + " values, expected " + width
                            + (hasHeader ? " (the header's columns)" : " (the model's inputs " + model.schema().inputNames() + ")"));
                }
                rows.add(row(r.cells, columns, at, !hasHeader && rows.isEmpty()));
            }
            if (rows.isEmpty()) {
                throw ApiException.badRequest("the CSV body has a header but no rows");
            }
            return rows;
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw ApiException.badRequest("malformed CSV" + (loc == null ? "" : " at line " + loc.getLineNr()) + ": "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("malformed CSV: " + e.getMessage());
        }
    }

    private record Row(String[] cells, int line) {
    }

    /**
     * The next row, or null at the end; blank lines are skipped, as pandas does. The parser (no schema) gives each
     * row as an array of strings; a row's line is its first cell's (the array token itself has no location).
     */
    private static Row next(CsvParser p) throws IOException {
        for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
            int line = -1;
            List<String> cells = new ArrayList<>();
            for (t = p.nextToken(); t != null && t != JsonToken.END_ARRAY; t = p.nextToken()) {
                if (cells.isEmpty()) {
                    line = p.currentTokenLocation().getLineNr();
                }
                cells.add(p.getText());
            }
            if (cells.size() > 1 || (cells.size() == 1 && !cells.get(0).isEmpty())) {
                return new Row(cells.toArray(new String[0]), line);
            }
        }
        return null;
    }

    /**
     * For a header row, the column holding each input (in the schema's order); null if the line names no input,
     * i.e. it is data. A line that names some inputs but not all, or others too, is a header with a mistake.
     */
    private int[] header(String[] cells) {
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            index.put(inputs.get(i).name(), i);
        }
        int named = 0;
        for (String c : cells) {
            if (index.containsKey(c)) {
                named++;
            }
        }
        if (named == 0) {
            return null;
        }
        int[] columns = new int[inputs.size()];
        Arrays.fill(columns, -1);
        for (int c = 0; c < cells.length; c++) {
            if (c == 0 && cells[c].isEmpty()) {
                continue; // pandas' index column
            }
            Integer i = index.get(cells[c]);
            if (i == null) {
                throw ApiException.badRequest("CSV header (line 1): unknown column '" + cells[c] + "'; the model's "
                        + "inputs are " + model.schema().inputNames());
            }
            if (columns[i] >= 0) {
                throw ApiException.badRequest("CSV header (line 1): column '" + cells[c] + "' appears twice");
            }
            columns[i] = c;
        }
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] < 0) {
                throw ApiException.badRequest("CSV header (line 1): missing column '" + inputs.get(i).name()
                        + "'; the model's inputs are " + model.schema().inputNames());
            }
        }
        return columns;
    }

    private Example<Label> row(String[] cells, int[] columns, String at, boolean maybeHeader) {
        double[] numbers = model.allNumeric() ? new double[inputs.size()] : null;
        List<Object> values = numbers == null ? new ArrayList<>(inputs.size()) : null;
        for (int i = 0; i < inputs.size(); i++) {
            ModelSchema.Input in = inputs.get(i);
            String cell = cells[columns[i]];
            String where = at + ", column '" + in.name() + "'";
            if (cell.isBlank()) {
                throw ApiException.badRequest(where + " is empty; every input needs a value");
            }
            if (in.type() == ColumnType.NUMERIC) {
                double d = number(cell, where, maybeHeader);
                if (numbers != null) {
                    numbers[i] = d;
                } else {
                    values.add(d);
                }
            } else {
                values.add(cell);
            }
        }
        try {
            return numbers != null ? model.featurizer().fromNumbers(numbers) : model.featurizer().fromValues(values);
        } catch (FeatureException e) {
            throw ApiException.badRequest(at + ": " + e.getMessage());
        }
    }

    private double number(String cell, String where, boolean maybeHeader) {
        String s = cell.strip();
        if (!DECIMAL.matcher(s).matches()) {
            throw ApiException.badRequest(where + ": '" + shorten(cell) + "' is not a number"
                    + (maybeHeader ? "; if line 1 is a header, its names must be the model's inputs "
                    + model.schema().inputNames() : ""));
        }
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
            throw ApiException.badRequest(where + ": '" + shorten(cell) + "' is not a finite number");
        }
        return d;
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
