package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import dev.mlops.engine.InputFiles;
import dev.mlops.engine.Log;
import dev.mlops.engine.spec.ColumnSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.NonNumeric;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.reader.RecordType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an RFC 4180 CSV file into a column-oriented {@link Table}.
 *
 * <p>A header row is required. Fields are comma-separated; a field in double quotes may hold commas, line breaks and
 * doubled quotes. The file is UTF-8 with an optional byte-order mark; lines end in LF or CRLF. Completely empty lines
 * are skipped. An empty field is a missing value.
 *
 * <p>Types: a column named in the schema with a type gets that type; any other column is numeric or categorical as
 * {@link TypeDecision} decides from its cells (all numbers: numeric; mostly numbers: an error naming the first
 * other cell; otherwise categorical). NaN and Infinity written in a numeric column are errors: a missing value is
 * an empty cell.
 *
 * <p>Records are split by FastCSV (a callback handler sees each field as a span of FastCSV's buffer), numbers are parsed
 * from those spans without creating strings ({@link Decimal}), and categorical cells are looked up by their characters
 * ({@link LevelIndex}), so a million-row file costs its columns and little else. The hand-written byte tokenizer this
 * replaced was measured only 1.07x faster, below the 1.3x a hand-written part must earn (docs/architecture.md).
 */
public final class CsvReader {
    private static final int PROGRESS_EVERY = 1 << 16;
    /** FastCSV's buffer holds one record: bounds the memory a file without line breaks can take. */
    private static final int MAX_RECORD_CHARS = 1 << 28;

    private CsvReader() {
    }

    public static Table read(Path file, Map<String, ColumnSchema> schema, Log log) {
        String name = file.toString();
        if (!Files.exists(file)) {
            throw new InputException(name + ": file not found");
        }
        if (Files.isDirectory(file)) {
            throw new InputException(name + ": is a folder, expected a CSV file");
        }
        InputFiles.requireRegular(file, "CSV file");
        Map<String, ColumnSchema> declared = schema == null ? Map.of() : schema;
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (size == 0) {
            throw new InputException(name + ": file is empty, expected a header row and data rows");
        }
        try {
            return new Reading(file, name, declared, log, size).run();
        } catch (NoSuchFileException e) {
            throw new InputException(name + ": file not found", e);
        } catch (IOException e) {
            throw new InputException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Shortens a cell for an error message. */
    static String quote(String s) {
        String t = s.length() > 40 ? s.substring(0, 40) + "..." : s;
        return "'" + t + "'";
    }

    /** One pass-through of the file; a second pass runs only for columns that turned out categorical late. */
    private static final class Reading {
        private final Path file;
        private final String name;
        private final Map<String, ColumnSchema> schema;
        private final Log log;
        private final long size;
        private final Decimal numbers = new Decimal();
        private String[] header;

        Reading(Path file, String name, Map<String, ColumnSchema> schema, Log log, long size) {
            this.file = file;
            this.name = name;
            this.schema = schema;
            this.log = log == null ? Log.NONE : log;
            this.size = size;
        }

        Table run() throws IOException {
            Pass first = new Pass(null, true);
            int rows = first.run();
            ColumnBuilder[] builders = first.builders;
            if (rows == 0) {
                throw new InputException(name + ": has a header but no data rows");
            }
            List<Integer> rescan = new ArrayList<>();
            for (int c = 0; c < builders.length; c++) {
                if (builders[c] instanceof NumericBuilder nb) {
                    TypeDecision.Kind kind = TypeDecision.decide(name, header[c], nb.cells, nb.schema);
                    if (kind == TypeDecision.Kind.CATEGORICAL) {
                        if (nb.switched == null) {
                            rescan.add(c);
                        }
                    } else if (kind == TypeDecision.Kind.NUMERIC_WITH_MISSING) {
                        log.warn(TypeDecision.missingWarning(name, header[c], nb.cells));
                    } else if (nb.nonFiniteLine > 0) {
                        throw new InputException(name + ": line " + nb.nonFiniteLine + ", column '" + header[c] + "': "
                                + quote(nb.nonFiniteText) + " is not a finite number (leave the cell empty for a "
                                + "missing value)");
                    }
                }
            }
            if (!rescan.isEmpty()) {
                // A column that looked numeric for a while holds text after all: read its cells again as text so
                // that values such as "007" keep their spelling.
                ColumnBuilder[] second = new ColumnBuilder[builders.length];
                for (int c : rescan) {
                    second[c] = new CategoricalBuilder(header[c]);
                }
                new Pass(second, false).run();
                for (int c : rescan) {
                    builders[c] = second[c];
                }
            }
            List<Column> columns = new ArrayList<>(builders.length);
            for (ColumnBuilder b : builders) {
                columns.add(b.build(rows));
            }
            log.progress("load", rows, rows, name + ": " + rows + " rows, " + columns.size() + " columns");
            return new Table(name, columns);
        }

        private String[] readHeader(List<String> fields, int line) {
            String[] names = new String[fields.size()];
            Map<String, Integer> seen = new HashMap<>();
            for (int c = 0; c < names.length; c++) {
                String n = fields.get(c).strip();
                if (n.isEmpty()) {
                    throw new InputException(name + ": line " + line + ": header field " + (c + 1)
                            + " is empty; every column needs a name");
                }
                Integer before = seen.put(n, c);
                if (before != null) {
                    throw new InputException(name + ": line " + line + ": column name '" + n
                            + "' appears twice in the header (fields " + (before + 1) + " and " + (c + 1) + ")");
                }
                names[c] = n;
            }
            return names;
        }

        /** The builder of each column, by the schema's declared type (numeric until shown otherwise). */
        private ColumnBuilder[] builders(String[] names) {
            ColumnBuilder[] builders = new ColumnBuilder[names.length];
            for (int c = 0; c < names.length; c++) {
                ColumnSchema cs = schema.get(names[c]);
                ColumnType type = cs == null ? null : cs.type();
                builders[c] = type == ColumnType.CATEGORICAL ? new CategoricalBuilder(names[c])
                        : new NumericBuilder(names[c], cs);
            }
            return builders;
        }

        /**
         * One read of the file through FastCSV. The first pass reads the header and makes the builders; a later pass
         * feeds only the columns it was given builders for.
         */
        private final class Pass extends AbstractBaseCsvCallbackHandler<Boolean> {
            private final boolean report;
            private final Cell cell = new Cell();
            private final List<String> headerFields = new ArrayList<>();
            private Utf8Reader chars;
            ColumnBuilder[] builders;
            private boolean inHeader = true;
            private int width;
            private int rows;

            Pass(ColumnBuilder[] builders, boolean report) {
                this.builders = builders;
                this.report = report;
            }

            int run() throws IOException {
                try (Utf8Reader in = new Utf8Reader(Files.newInputStream(file));
                     var records = de.siegmar.fastcsv.reader.CsvReader.builder()
                             .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                             .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                             .allowUnclosedQuote(false).allowExtraCharsAfterClosingQuote(false)
                             .maxBufferSize(MAX_RECORD_CHARS)
                             .build(this, in)) {
                    chars = in;
                    cell.chars = in;
                    for (Boolean ignored : records) {
                        // each record is consumed by the handler's callbacks
                    }
                } catch (CsvParseException e) {
                    throw translate(e);
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
                if (inHeader) {
                    throw new InputException(name + ": file is empty, expected a header row and data rows");
                }
                return rows;
            }

            @Override
            protected void handleBegin(long startingLineNumber) {
                cell.line = (int) startingLineNumber;
            }

            @Override
            protected void handleField(int index, char[] buf, int offset, int len, boolean quoted) {
                cell.set(buf, offset, len);
                if (inHeader) {
                    headerFields.add(cell.text("header"));
                } else if (index < width && builders[index] != null) {
                    builders[index].add(cell, rows);
                }
            }

            @Override
            protected Boolean buildRecord() {
                if (getRecordType() != RecordType.DATA) {
                    return null;
                }
                if (inHeader) {
                    inHeader = false;
                    String[] names = readHeader(headerFields, cell.line);
                    width = names.length;
                    if (builders == null) {
                        header = names;
                        builders = Reading.this.builders(names);
                    }
                    return Boolean.TRUE;
                }
                if (getFieldCount() != width) {
                    throw new InputException(name + ": line " + cell.line + " has " + getFieldCount() + " field"
                            + (getFieldCount() == 1 ? "" : "s") + ", header has " + width);
                }
                rows++;
                if (report && (rows & (PROGRESS_EVERY - 1)) == 0) {
                    if (rows == PROGRESS_EVERY) {
                        // Size the columns once for the whole file, from the bytes the first rows took.
                        long expected = (long) (rows * (double) size / Math.max(1, chars.consumed()) * 1.02) + 16;
                        for (ColumnBuilder b : builders) {
                            b.reserve((int) Math.min(Integer.MAX_VALUE - 16, expected));
                        }
                    }
                    log.progress("load", rows, -1, String.format("%s: %d rows, %d of %d MB", name, rows,
                            chars.consumed() >> 20, size >> 20));
                }
                if (rows == Integer.MAX_VALUE - 16) {
                    throw new InputException(name + ": too many rows for one table (more than " + rows + ")");
                }
                return Boolean.TRUE;
            }

            /** FastCSV's own complaints, in this reader's words, with the line of the record being read. */
            private RuntimeException translate(CsvParseException e) {
                if (e.getCause() instanceof InputException ie) {
                    return ie;
                }
                String m = String.valueOf(e.getMessage());
                if (m.contains("Unclosed quoted field")) {
                    return new InputException(name + ": line " + cell.line
                            + ": a quoted field is not closed before the end of the file");
                }
                if (m.contains("after closing quote")) {
                    return new InputException(name + ": line " + cell.line + ", field " + (getFieldCount() + 1)
                            + ": unexpected text after a closing quote (a quote inside a quoted field must be "
                            + "doubled: \"\")");
                }
                if (m.contains("buffer")) {
                    return new InputException(name + ": line " + cell.line + ": a single record is larger than "
                            + (MAX_RECORD_CHARS >> 20) + " M characters");
                }
                return new InputException(name + ": line " + cell.line + ": " + m, e);
            }

        }

        /** The field being read: a span of FastCSV's buffer, valid until the next field. */
        private final class Cell {
            Utf8Reader chars;
            char[] buf;
            int off;
            int len;
            int line;

            void set(char[] b, int o, int l) {
                buf = b;
                off = o;
                len = l;
            }

            boolean isEmpty() {
                return len == 0;
            }

            /** The field as a string; a byte that was not UTF-8 is an input error naming line and column. */
            String text(String column) {
                String t = new String(buf, off, len);
                if (chars.sawMalformed() && t.indexOf(Utf8Reader.REPLACEMENT) >= 0) {
                    throw new InputException(name + ": line " + line + ", column '" + column
                            + "': not valid UTF-8 text (save the file as UTF-8)");
                }
                return t;
            }
        }

        private abstract class ColumnBuilder {
            final String column;

            ColumnBuilder(String column) {
                this.column = column;
            }

            abstract void add(Cell in, int row);

            /** Room for {@code rows} rows, so the column is not copied while it grows. */
            abstract void reserve(int rows);

            abstract Column build(int rows);
        }

        private final class NumericBuilder extends ColumnBuilder {
            final ColumnSchema schema;
            private final boolean declared;
            /** Non-numbers become missing values (data.schema.<column>.nonNumeric: missing). */
            private final boolean lenient;
            final TypeDecision.Cells cells = new TypeDecision.Cells();
            private double[] values = new double[1024];
            private boolean sawValue;
            int nonFiniteLine;
            String nonFiniteText;
            CategoricalBuilder switched;

            NumericBuilder(String column, ColumnSchema schema) {
                super(column);
                this.schema = schema;
                this.declared = schema != null && schema.type() == ColumnType.NUMERIC;
                this.lenient = schema != null && schema.nonNumeric() == NonNumeric.MISSING;
            }

            @Override
            void add(Cell in, int row) {
                double v = numbers.parse(in.buf, in.off, in.off + in.len);
                if (switched != null) {
                    switched.add(in, row);
                    // still counted, so a column of numbers with a text first cell is caught
                    if (numbers.status() == Decimal.OK) {
                        cells.number();
                    } else if (numbers.status() == Decimal.NOT_A_NUMBER) {
                        cells.other(in.line, null);
                    }
                    return;
                }
                switch (numbers.status()) {
                    case Decimal.OK -> {
                        sawValue = true;
                        cells.number();
                    }
                    case Decimal.EMPTY -> { }
                    case Decimal.NOT_FINITE -> {
                        if (lenient) {
                            cells.other(in.line, in.text(column));
                            v = Double.NaN;
                        } else if (declared) {
                            throw new InputException(name + ": line " + in.line + ", column '" + column + "': "
                                    + quote(in.text(column)) + " is not a finite number (leave the cell "
                                    + "empty for a missing value)");
                        } else if (nonFiniteLine == 0) {
                            nonFiniteLine = in.line;
                            nonFiniteText = in.text(column);
                        }
                    }
                    default -> {
                        if (declared && !lenient) {
                            throw new InputException(name + ": line " + in.line + ", column '" + column + "': "
                                    + quote(in.text(column)) + " is not a number (the schema declares "
                                    + "the column numeric)");
                        }
                        cells.other(in.line, cells.others == 0 ? in.text(column) : null);
                        if (!lenient && !sawValue && nonFiniteLine == 0) {
                            // Only empty cells so far: switch to text without reading the file again.
                            switched = new CategoricalBuilder(column);
                            for (int r = 0; r < row; r++) {
                                switched.addMissing(r);
                            }
                            switched.add(in, row);
                            return;
                        }
                        v = Double.NaN; // a missing value, or a column TypeDecision will read again as text
                    }
                }
                if (row == values.length) {
                    values = Arrays.copyOf(values, grow(values.length));
                }
                values[row] = v;
            }

            @Override
            void reserve(int rows) {
                if (switched != null) {
                    switched.reserve(rows);
                } else if (rows > values.length) {
                    values = Arrays.copyOf(values, rows);
                }
            }

            @Override
            Column build(int rows) {
                if (switched != null) {
                    return switched.build(rows);
                }
                return new NumericColumn(column, values.length == rows ? values : Arrays.copyOf(values, rows));
            }
        }

        private final class CategoricalBuilder extends ColumnBuilder {
            private int[] codes = new int[1024];
            private final LevelIndex index = new LevelIndex();

            CategoricalBuilder(String column) {
                super(column);
            }

            void addMissing(int row) {
                set(row, -1);
            }

            @Override
            void add(Cell in, int row) {
                if (in.isEmpty()) {
                    set(row, -1);
                    return;
                }
                int code = index.find(in.buf, in.off, in.len);
                if (code < 0) {
                    code = index.add(in.text(column));
                }
                set(row, code);
            }

            private void set(int row, int code) {
                if (row == codes.length) {
                    codes = Arrays.copyOf(codes, grow(codes.length));
                }
                codes[row] = code;
            }

            @Override
            void reserve(int rows) {
                if (rows > codes.length) {
                    codes = Arrays.copyOf(codes, rows);
                }
            }

            @Override
            Column build(int rows) {
                return new CategoricalColumn(column, codes.length == rows ? codes : Arrays.copyOf(codes, rows),
                        index.levels());
            }
        }
    }

    private static int grow(int length) {
        long next = (long) length + (length >> 1) + 16;
        if (next > Integer.MAX_VALUE - 16) {
            throw new InputException("too many rows for one table (more than " + length + ")");
        }
        return (int) next;
    }
}
