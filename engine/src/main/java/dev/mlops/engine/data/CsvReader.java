package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import dev.mlops.engine.InputFiles;
import dev.mlops.engine.Log;
import dev.mlops.engine.spec.ColumnSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.NonNumeric;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
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
 * <p>The reader works on bytes in a reused buffer and parses numbers without creating strings, because the product
 * loads million-row files inside a 30-second budget.
 */
public final class CsvReader {
    private static final int PROGRESS_EVERY = 1 << 16;

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
        private final FastDoubleParser numbers = new FastDoubleParser();
        private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        private String[] header;

        Reading(Path file, String name, Map<String, ColumnSchema> schema, Log log, long size) {
            this.file = file;
            this.name = name;
            this.schema = schema;
            this.log = log == null ? Log.NONE : log;
            this.size = size;
        }

        Table run() throws IOException {
            ColumnBuilder[] builders;
            int rows;
            try (Records in = new Records(Files.newInputStream(file), name)) {
                if (!in.next()) {
                    throw new InputException(name + ": file is empty, expected a header row and data rows");
                }
                header = readHeader(in);
                builders = new ColumnBuilder[header.length];
                for (int c = 0; c < header.length; c++) {
                    ColumnSchema cs = schema.get(header[c]);
                    ColumnType type = cs == null ? null : cs.type();
                    builders[c] = type == ColumnType.CATEGORICAL ? new CategoricalBuilder(header[c])
                            : new NumericBuilder(header[c], cs);
                }
                rows = readRows(in, builders, true);
            }
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
                try (Records in = new Records(Files.newInputStream(file), name)) {
                    in.next();
                    readRows(in, second, false);
                }
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

        private String[] readHeader(Records in) throws IOException {
            String[] names = new String[in.fieldCount];
            Map<String, Integer> seen = new HashMap<>();
            for (int c = 0; c < names.length; c++) {
                String n = in.text(c, utf8, "header").strip();
                if (n.isEmpty()) {
                    throw new InputException(name + ": line " + in.line + ": header field " + (c + 1)
                            + " is empty; every column needs a name");
                }
                Integer before = seen.put(n, c);
                if (before != null) {
                    throw new InputException(name + ": line " + in.line + ": column name '" + n
                            + "' appears twice in the header (fields " + (before + 1) + " and " + (c + 1) + ")");
                }
                names[c] = n;
            }
            return names;
        }

        private int readRows(Records in, ColumnBuilder[] builders, boolean report) throws IOException {
            int rows = 0;
            int width = header.length;
            while (in.next()) {
                if (in.fieldCount != width) {
                    throw new InputException(name + ": line " + in.line + " has " + in.fieldCount + " field"
                            + (in.fieldCount == 1 ? "" : "s") + ", header has " + width);
                }
                for (int c = 0; c < width; c++) {
                    ColumnBuilder b = builders[c];
                    if (b != null) {
                        b.add(in, c, rows);
                    }
                }
                rows++;
                if (report && (rows & (PROGRESS_EVERY - 1)) == 0) {
                    log.progress("load", rows, -1, String.format("%s: %d rows, %d of %d MB", name, rows,
                            in.consumed >> 20, size >> 20));
                }
            }
            return rows;
        }

        private abstract class ColumnBuilder {
            final String column;

            ColumnBuilder(String column) {
                this.column = column;
            }

            abstract void add(Records in, int field, int row) throws IOException;

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

            private double parse(Records in, int field) throws IOException {
                if (in.escaped(field)) {
                    byte[] text = in.text(field, utf8, column).getBytes(StandardCharsets.UTF_8);
                    return numbers.parse(text, 0, text.length);
                }
                return numbers.parse(in.buf, in.start(field), in.end(field));
            }

            @Override
            void add(Records in, int field, int row) throws IOException {
                if (switched != null) {
                    switched.add(in, field, row);
                    parse(in, field); // still counted, so a column of numbers with a text first cell is caught
                    if (numbers.status() == FastDoubleParser.OK) {
                        cells.number();
                    } else if (numbers.status() == FastDoubleParser.NOT_A_NUMBER) {
                        cells.other(in.line, null);
                    }
                    return;
                }
                double v = parse(in, field);
                switch (numbers.status()) {
                    case FastDoubleParser.OK -> {
                        sawValue = true;
                        cells.number();
                    }
                    case FastDoubleParser.EMPTY -> { }
                    case FastDoubleParser.NOT_FINITE -> {
                        if (lenient) {
                            cells.other(in.line, in.text(field, utf8, column));
                            v = Double.NaN;
                        } else if (declared) {
                            throw new InputException(name + ": line " + in.line + ", column '" + column + "': "
                                    + quote(in.text(field, utf8, column)) + " is not a finite number (leave the cell "
                                    + "empty for a missing value)");
                        } else if (nonFiniteLine == 0) {
                            nonFiniteLine = in.line;
                            nonFiniteText = in.text(field, utf8, column);
                        }
                    }
                    default -> {
                        if (declared && !lenient) {
                            throw new InputException(name + ": line " + in.line + ", column '" + column + "': "
                                    + quote(in.text(field, utf8, column)) + " is not a number (the schema declares "
                                    + "the column numeric)");
                        }
                        cells.other(in.line, cells.others == 0 ? in.text(field, utf8, column) : null);
                        if (!lenient && !sawValue && nonFiniteLine == 0) {
                            // Only empty cells so far: switch to text without reading the file again.
                            switched = new CategoricalBuilder(column);
                            for (int r = 0; r < row; r++) {
                                switched.addMissing(r);
                            }
                            switched.add(in, field, row);
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
            Column build(int rows) {
                if (switched != null) {
                    return switched.build(rows);
                }
                return new NumericColumn(column, values.length == rows ? values : Arrays.copyOf(values, rows));
            }
        }

        private final class CategoricalBuilder extends ColumnBuilder {
            private int[] codes = new int[1024];
            private final Map<String, Integer> index = new HashMap<>();
            private final List<String> levels = new ArrayList<>();

            CategoricalBuilder(String column) {
                super(column);
            }

            void addMissing(int row) {
                set(row, -1);
            }

            @Override
            void add(Records in, int field, int row) throws IOException {
                if (in.start(field) == in.end(field)) {
                    set(row, -1);
                    return;
                }
                String s = in.text(field, utf8, column);
                Integer code = index.get(s);
                if (code == null) {
                    code = levels.size();
                    index.put(s, code);
                    levels.add(s);
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
            Column build(int rows) {
                return new CategoricalColumn(column, codes.length == rows ? codes : Arrays.copyOf(codes, rows),
                        levels);
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

    /**
     * Splits the byte stream into records. After {@link #next()} the fields of the current record are
     * {@code buf[start(i), end(i))} (quotes removed, doubled quotes still doubled where {@link #escaped(int)}).
     */
    static final class Records implements AutoCloseable {
        private final InputStream in;
        private final String name;
        byte[] buf = new byte[1 << 20];
        private int pos;
        private int limit;
        private boolean eof;
        private boolean first = true;
        int fieldCount;
        private int[] starts = new int[64];
        private int[] ends = new int[64];
        private boolean[] escapedFlags = new boolean[64];
        /** 1-based line where the current record starts. */
        int line;
        private int nextLine = 1;
        long consumed;

        Records(InputStream in, String name) {
            this.in = in;
            this.name = name;
        }

        int start(int i) {
            return starts[i];
        }

        int end(int i) {
            return ends[i];
        }

        boolean escaped(int i) {
            return escapedFlags[i];
        }

        /** The field as text, with doubled quotes undone; invalid UTF-8 is an input error. */
        String text(int i, CharsetDecoder utf8, String column) {
            int s = starts[i];
            int e = ends[i];
            boolean ascii = true;
            for (int k = s; k < e; k++) {
                if (buf[k] < 0) {
                    ascii = false;
                    break;
                }
            }
            String t;
            if (ascii) {
                t = new String(buf, s, e - s, StandardCharsets.ISO_8859_1);
            } else {
                try {
                    CharBuffer cb = utf8.reset().decode(ByteBuffer.wrap(buf, s, e - s));
                    t = cb.toString();
                } catch (CharacterCodingException ex) {
                    throw new InputException(name + ": line " + line + ", column '" + column
                            + "': not valid UTF-8 text (save the file as UTF-8)");
                }
            }
            return escapedFlags[i] ? t.replace("\"\"", "\"") : t;
        }

        /** Reads the next non-blank record; false at end of file. */
        boolean next() throws IOException {
            while (true) {
                if (first) {
                    first = false;
                    fill();
                    if (limit - pos >= 3 && buf[pos] == (byte) 0xEF && buf[pos + 1] == (byte) 0xBB
                            && buf[pos + 2] == (byte) 0xBF) {
                        pos += 3;
                    }
                }
                int r = scan();
                if (r == 0) {
                    return false;
                }
                if (r > 0) {
                    return true;
                }
                // r < 0: the record ran past the buffer; make room and scan it again.
                if (!refill()) {
                    throw new IllegalStateException("unreachable: refill at end of file");
                }
            }
        }

        /**
         * Scans one record from {@code pos}. Returns 1 when a record was read, 0 at end of input, -1 when more bytes
         * are needed (nothing consumed), and skips blank lines.
         */
        private int scan() {
            byte[] b = buf;
            int p = pos;
            int lim = limit;
            int newlines = 0;
            // Skip blank lines.
            while (true) {
                if (p >= lim) {
                    if (!eof) {
                        return -1;
                    }
                    pos = p;
                    nextLine += newlines;
                    return 0;
                }
                if (b[p] == '\n') {
                    newlines++;
                    p++;
                } else if (b[p] == '\r') {
                    if (p + 1 >= lim && !eof) {
                        return -1;
                    }
                    p++;
                    if (p < lim && b[p] == '\n') {
                        p++;
                    }
                    newlines++;
                } else {
                    break;
                }
            }
            int recordLine = nextLine + newlines;
            int n = 0;
            while (true) {
                if (n == starts.length) {
                    starts = Arrays.copyOf(starts, n * 2);
                    ends = Arrays.copyOf(ends, n * 2);
                    escapedFlags = Arrays.copyOf(escapedFlags, n * 2);
                }
                boolean esc = false;
                int s;
                int e;
                if (p < lim && b[p] == '"') {
                    p++;
                    s = p;
                    while (true) {
                        while (p < lim && b[p] != '"') {
                            if (b[p] == '\n') {
                                newlines++;
                            }
                            p++;
                        }
                        if (p >= lim) {
                            if (!eof) {
                                return -1;
                            }
                            throw new InputException(name + ": line " + recordLine
                                    + ": a quoted field is not closed before the end of the file");
                        }
                        // b[p] is a quote: doubled quote or the closing one.
                        if (p + 1 >= lim && !eof) {
                            return -1;
                        }
                        if (p + 1 < lim && b[p + 1] == '"') {
                            esc = true;
                            p += 2;
                        } else {
                            break;
                        }
                    }
                    e = p;
                    p++;
                    if (p < lim && b[p] != ',' && b[p] != '\n' && b[p] != '\r') {
                        throw new InputException(name + ": line " + (recordLine + newlines) + ", field " + (n + 1)
                                + ": unexpected text after a closing quote (a quote inside a quoted field must be "
                                + "doubled: \"\")");
                    }
                } else {
                    s = p;
                    while (p < lim) {
                        byte c = b[p];
                        if (c == ',' || c == '\n' || c == '\r') {
                            break;
                        }
                        p++;
                    }
                    e = p;
                }
                starts[n] = s;
                ends[n] = e;
                escapedFlags[n] = esc;
                n++;
                if (p >= lim) {
                    if (!eof) {
                        return -1;
                    }
                    break;
                }
                byte c = b[p];
                if (c == ',') {
                    p++;
                    continue;
                }
                if (c == '\r') {
                    if (p + 1 >= lim && !eof) {
                        return -1;
                    }
                    p++;
                    if (p < lim && b[p] == '\n') {
                        p++;
                    }
                } else {
                    p++;
                }
                newlines++;
                break;
            }
            consumed += p - pos;
            pos = p;
            fieldCount = n;
            line = recordLine;
            nextLine += newlines;
            return 1;
        }

        private boolean refill() throws IOException {
            if (eof) {
                return false;
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, limit - pos);
                limit -= pos;
                pos = 0;
            } else if (limit == buf.length) {
                if (buf.length >= (1 << 30)) {
                    throw new InputException(name + ": a single record is larger than 1 GB");
                }
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            fill();
            return true;
        }

        private void fill() throws IOException {
            while (limit < buf.length) {
                int r = in.read(buf, limit, buf.length - limit);
                if (r < 0) {
                    eof = true;
                    return;
                }
                limit += r;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
