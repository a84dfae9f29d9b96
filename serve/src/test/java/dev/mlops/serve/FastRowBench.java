package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.BufferedReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 10 §4, the model server's hand-written row parser: every row of a CSV (the 1M-row load) as a
 * {@code {"features":[...]}} body, parsed by {@link FastRow} and, as the library reference, by Jackson's streaming
 * parser with its fast double parser. CPU seconds of the parsing thread, one cold pass and the median of three warm.
 *
 * <pre>java -cp ... dev.mlops.serve.FastRowBench FILE.csv fastrow|jackson   (bench/csv-load/fastrow.sh)</pre>
 */
public final class FastRowBench {
    private FastRowBench() {
    }

    public static void main(String[] args) throws Exception {
        List<byte[]> bodies = new ArrayList<>();
        int width;
        try (BufferedReader in = Files.newBufferedReader(Path.of(args[0]))) {
            width = in.readLine().split(",").length - 1;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int cut = line.lastIndexOf(',');
                bodies.add(("{\"features\":[" + line.substring(0, cut) + "]}").getBytes(StandardCharsets.US_ASCII));
            }
        }
        String variant = args[1];
        JsonFactory json = JsonFactory.builder().enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER).build();
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        double[] warm = new double[3];
        double cold = 0;
        double sum = 0;
        double[] out = new double[width];
        for (int round = 0; round <= warm.length; round++) {
            sum = 0;
            long c0 = cpu.getCurrentThreadCpuTime();
            for (byte[] b : bodies) {
                if (variant.equals("fastrow")) {
                    if (!FastRow.parse(b, b.length, out)) {
                        throw new IllegalStateException("FastRow refused " + new String(b, StandardCharsets.US_ASCII));
                    }
                } else {
                    jackson(json, b, out);
                }
                sum += out[0] + out[width - 1];
            }
            double c = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
            if (round == 0) {
                cold = c;
            } else {
                warm[round - 1] = c;
            }
        }
        Arrays.sort(warm);
        System.out.printf("%s %d rows: cold %.3f s CPU, warm %.3f s CPU, checksum %.6f%n", variant, bodies.size(),
                cold, warm[1], sum);
    }

    private static void jackson(JsonFactory json, byte[] b, double[] out) throws Exception {
        try (JsonParser p = json.createParser(b)) {
            int n = 0;
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_NUMBER_INT) {
                    out[n++] = p.getDoubleValue();
                }
            }
        }
    }
}
