package dev.mlops.engine.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.engine.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Issue 10 §4: the CSV load measured with the engine's reader against other ways of doing it with libraries, on the
 * same file. The hand-written byte tokenizer and decimal parser the libraries replaced are measured by this class at
 * commit 608eb4f (figures in docs/architecture.md). Every variant does the same work: split the records, parse every numeric cell into a {@code double[]}
 * column, code the text column; the script checks that the checksums agree. Each load runs in a fresh JVM, as the
 * load of {@code mlops train} does, so no variant inherits another's compiled code or profile.
 *
 * <pre>
 *   bench/csv-load/run.sh [FILE.csv] [rounds]
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

    /** The variants, by the name the script passes; each runs alone in a fresh JVM, as {@code mlops train} loads. */
    static Map<String, Variant> variants() {
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("engine-read", (f, c, n) -> {
            Table t = CsvReader.read(f, Map.of(), Log.NONE);
            Sink s = new Sink(c, n);
            for (int j = 0; j < c - 1; j++) {
                s.numbers[j] = ((NumericColumn) t.columns().get(j)).values();
            }
            System.arraycopy(((CategoricalColumn) t.columns().get(c - 1)).codes(), 0, s.codes, 0, t.rowCount());
            s.rows = t.rowCount();
            return s;
        });
        variants.put("fastcsv-callback+jdk-parseDouble", (f, c, n) ->
                fastCsvCallback(f, c, n, (b, st, len) -> Double.parseDouble(new String(b, st, len))));
        variants.put("fastcsv-callback+fastdoubleparser", (f, c, n) ->
                fastCsvCallback(f, c, n, (b, st, len) -> JavaDoubleParser.parseDouble(b, st, len)));
        Decimal decimal = new Decimal();
        variants.put("fastcsv-callback+Decimal", (f, c, n) ->
                fastCsvCallback(f, c, n, (b, st, len) -> decimal.parse(b, st, st + len)));
        variants.put("fastcsv-records+fastdoubleparser", CsvLoadBench::fastCsvRecords);
        variants.put("jackson-csv+fastdoubleparser", CsvLoadBench::jacksonCsv);
        return variants;
    }

    /**
     * {@code CsvLoadBench FILE VARIANT}: four loads in this JVM, printed as "VARIANT COLD_WALL COLD_CPU WARM_CPU
     * CHECKSUM" (seconds; warm = the median of the last three); {@code CsvLoadBench list} prints the variant names.
     */
    public static void main(String[] args) throws Exception {
        if (args[0].equals("list")) {
            variants().keySet().forEach(System.out::println);
            return;
        }
        Path file = Path.of(args[0]);
        Variant variant = variants().get(args[1]);
        String header;
        try (var in = Files.newBufferedReader(file)) {
            header = in.readLine();
        }
        long lines;
        try (var s = Files.lines(file)) {
            lines = s.count() - 1;
        }
        int columns = header.split(",").length;
        // CPU time of the loading thread, not wall time: the build machine is shared, and a load is one thread.
        // The first load is cold (interpreted until the JIT catches up), as in `mlops train`; three more are warm.
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        double coldCpu = 0;
        double coldWall = 0;
        double[] warm = new double[3];
        Sink s = null;
        for (int round = 0; round <= warm.length; round++) {
            System.gc();
            long w0 = System.nanoTime();
            long c0 = cpu.getCurrentThreadCpuTime();
            s = variant.load(file, columns, (int) lines);
            double c = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
            if (round == 0) {
                coldCpu = c;
                coldWall = (System.nanoTime() - w0) / 1e9;
            } else {
                warm[round - 1] = c;
            }
            if (s.rows != lines) {
                throw new IllegalStateException(args[1] + " read " + s.rows + " rows, expected " + lines);
            }
        }
        java.util.Arrays.sort(warm);
        System.out.printf("%s %.3f %.3f %.3f %.6f%n", args[1], coldWall, coldCpu, warm[1], s.checksum());
    }

    interface CharsParser {
        double parse(char[] b, int start, int len);
    }

    static Sink fastCsvCallback(Path f, int c, int n, CharsParser parser) throws IOException {
        Sink s = new Sink(c, n);
        class Handler extends AbstractBaseCsvCallbackHandler<Boolean> {
            boolean header = true;

            @Override
            protected void handleField(int idx, char[] buf, int off, int len, boolean quoted) {
                if (header) {
                    return;
                }
                if (idx < c - 1) {
                    s.numbers[idx][s.rows] = parser.parse(buf, off, len);
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

}
