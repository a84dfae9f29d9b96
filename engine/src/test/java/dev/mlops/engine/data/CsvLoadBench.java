package dev.mlops.engine.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.engine.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 10 §4: the CSV load measured with the engine's tokenizer and number parsing against libraries, on the same
 * file, in one process, rounds interleaved, medians reported. Every variant does the same work: split the records,
 * parse every numeric cell into a {@code double[]} column, code the text column, and the sums must agree.
 *
 * <pre>
 *   java -cp ... dev.mlops.engine.data.CsvLoadBench FILE.csv [rounds]   (bench/csv-load/run.sh does this)
 * </pre>
 */
public final class CsvLoadBench {
    private CsvLoadBench() {
    }

    /** Where each variant puts what it parsed; the text column is the last one (the label). */
    static final class Sink {
        final double[][] numbers;
        final int[] codes;
        final Map<String, Integer> levels = new HashMap<>();
        int rows;

        Sink(int columns, int capacity) {
            numbers = new double[columns - 1][capacity];
            codes = new int[capacity];
        }

        void text(String s) {
            codes[rows] = levels.computeIfAbsent(s, k -> levels.size());
        }

        double checksum() {
            double s = 0;
            for (double[] col : numbers) {
                for (int r = 0; r < rows; r++) {
                    s += col[r];
                }
            }
            for (int r = 0; r < rows; r++) {
                s += codes[r];
            }
            return s;
        }
    }

    interface Variant {
        Sink load(Path file, int columns, int capacity) throws IOException;
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        String header;
        long lines;
        try (var in = Files.newBufferedReader(file)) {
            header = in.readLine();
        }
        try (var s = Files.lines(file)) {
            lines = s.count() - 1;
        }
        int columns = header.split(",").length;
        int capacity = (int) lines;

        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("engine CsvReader.read (engine tokenizer + number parser in use)", (f, c, n) -> {
            Table t = CsvReader.read(f, Map.of(), Log.NONE);
            Sink s = new Sink(c, n);
            for (int j = 0; j < c - 1; j++) {
                s.numbers[j] = ((NumericColumn) t.columns().get(j)).values();
            }
            System.arraycopy(((CategoricalColumn) t.columns().get(c - 1)).codes(), 0, s.codes, 0, t.rowCount());
            s.rows = t.rowCount();
            return s;
        });
        FastDoubleParser handWritten = new FastDoubleParser();
        variants.put("engine tokenizer + engine FastDoubleParser/EiselLemire (bytes)", (f, c, n) ->
                engineTokenizer(f, c, n, handWritten::parse));
        variants.put("engine tokenizer + ch.randelshofer.fastdoubleparser (byte[])", (f, c, n) ->
                engineTokenizer(f, c, n, (b, st, e) -> JavaDoubleParser.parseDouble(b, st, e - st)));
        variants.put("engine tokenizer + Double.parseDouble(String)", (f, c, n) ->
                engineTokenizer(f, c, n, (b, st, e) -> Double.parseDouble(new String(b, st, e - st,
                        StandardCharsets.ISO_8859_1))));
        variants.put("FastCSV 4.4 callback (char[]) + fastdoubleparser (char[])", CsvLoadBench::fastCsvCallback);
        variants.put("FastCSV 4.4 CsvRecord (String) + fastdoubleparser", CsvLoadBench::fastCsvRecords);
        variants.put("Jackson CSV 2.22 streaming (char[]) + fastdoubleparser (char[])", CsvLoadBench::jacksonCsv);

        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        Double expected = null;
        for (int r = 0; r < rounds + 1; r++) {
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                System.gc();
                long t0 = System.nanoTime();
                Sink s = v.getValue().load(file, columns, capacity);
                double dt = (System.nanoTime() - t0) / 1e9;
                if (s.rows != capacity) {
                    throw new IllegalStateException(v.getKey() + " read " + s.rows + " rows, expected " + capacity);
                }
                double sum = s.checksum();
                if (expected == null) {
                    expected = sum;
                } else if (Double.compare(sum, expected) != 0 || s.rows != capacity) {
                    throw new IllegalStateException(v.getKey() + " parsed something else: checksum " + sum
                            + " rows " + s.rows + ", expected " + expected + " rows " + capacity);
                }
                if (r > 0) { // round 0 warms the JIT up
                    seconds.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(dt);
                }
            }
        }
        System.out.printf("%s: %d rows x %d columns, %d MiB; %d rounds after one warm-up, medians%n", file, lines,
                columns, Files.size(file) >> 20, rounds);
        double base = median(seconds.values().iterator().next());
        for (Map.Entry<String, List<Double>> e : seconds.entrySet()) {
            double m = median(e.getValue());
            System.out.printf("  %-66s %6.2f s  %8.0f rows/s  %.2fx the engine's time%n", e.getKey(), m,
                    lines / m, m / base);
        }
    }

    interface BytesParser {
        double parse(byte[] b, int start, int end);
    }

    /** The engine's tokenizer ({@link CsvReader.Records}) with another number parser. */
    static Sink engineTokenizer(Path f, int c, int n, BytesParser parser) throws IOException {
        Sink s = new Sink(c, n);
        var utf8 = StandardCharsets.UTF_8.newDecoder();
        try (CsvReader.Records in = new CsvReader.Records(Files.newInputStream(f), f.toString())) {
            in.next();
            while (in.next()) {
                for (int j = 0; j < c - 1; j++) {
                    s.numbers[j][s.rows] = parser.parse(in.buf, in.start(j), in.end(j));
                }
                s.text(in.text(c - 1, utf8, "label"));
                s.rows++;
            }
        }
        return s;
    }

    static Sink fastCsvCallback(Path f, int c, int n) throws IOException {
        Sink s = new Sink(c, n);
        class Handler extends AbstractBaseCsvCallbackHandler<Boolean> {
            boolean header = true;

            @Override
            protected void handleField(int idx, char[] buf, int off, int len, boolean quoted) {
                if (header) {
                    return;
                }
                if (idx < c - 1) {
                    s.numbers[idx][s.rows] = JavaDoubleParser.parseDouble(buf, off, len);
                } else {
                    s.text(new String(buf, off, len));
                }
            }

            @Override
            protected Boolean buildRecord() {
                if (header) {
                    header = false;
                } else {
                    s.rows++;
                }
                return Boolean.TRUE;
            }
        }
        try (var reader = de.siegmar.fastcsv.reader.CsvReader.builder().build(new Handler(), f)) {
            for (Boolean ignored : reader) {
                // records are consumed by the handler
            }
        }
        return s;
    }

    static Sink fastCsvRecords(Path f, int c, int n) throws IOException {
        Sink s = new Sink(c, n);
        try (var reader = de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(f)) {
            boolean header = true;
            for (CsvRecord rec : reader) {
                if (header) {
                    header = false;
                    continue;
                }
                for (int j = 0; j < c - 1; j++) {
                    s.numbers[j][s.rows] = JavaDoubleParser.parseDouble(rec.getField(j));
                }
                s.text(rec.getField(c - 1));
                s.rows++;
            }
        }
        return s;
    }

    static Sink jacksonCsv(Path f, int c, int n) throws IOException {
        Sink s = new Sink(c, n);
        CsvMapper mapper = new CsvMapper();
        try (CsvParser p = (CsvParser) mapper.getFactory().createParser(f.toFile())) {
            p.enable(CsvParser.Feature.WRAP_AS_ARRAY);
            boolean header = true;
            int col = 0;
            int depth = 0;
            JsonToken t;
            // WRAP_AS_ARRAY: the file is one outer array of row arrays
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    depth++;
                    col = 0;
                } else if (t == JsonToken.END_ARRAY) {
                    if (--depth == 1 && !header && col > 0) {
                        s.rows++;
                    }
                    header &= depth != 1;
                } else if (t == JsonToken.VALUE_STRING && !header) {
                    if (col < c - 1) {
                        s.numbers[col][s.rows] = JavaDoubleParser.parseDouble(p.getTextCharacters(),
                                p.getTextOffset(), p.getTextLength());
                    } else {
                        s.text(p.getText());
                    }
                    col++;
                }
            }
        }
        return s;
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }
}
