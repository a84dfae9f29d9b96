package dev.mlops.cli;

import dev.mlops.engine.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;

/**
 * Writes a synthetic binary classification CSV with a known rule, for benchmarks and demos: features are standard
 * normal, the label is "pos" when a fixed linear score plus Gaussian noise is positive. Same seed, same file.
 */
@Command(name = "generate-data", mixinStandardHelpOptions = true,
        description = "Write a synthetic binary-classification CSV with a known linear rule (for benchmarks).",
        footer = {"", "Example:", "  mlops generate-data --rows 1000000 --features 30 --out /tmp/big.csv"})
public final class GenerateDataCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "100000", description = "Rows to write (default ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--features", defaultValue = "30", description = "Numeric feature columns (default ${DEFAULT-VALUE}).")
    int features;

    @Option(names = "--noise", defaultValue = "0.5", description = "Std. dev. of the label noise (default ${DEFAULT-VALUE}).")
    double noise;

    @Option(names = "--seed", defaultValue = "1", description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, description = "CSV file to write.")
    Path out;

    @picocli.CommandLine.Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        if (rows < 1 || features < 1) {
            throw new dev.mlops.engine.InputException("--rows and --features must be at least 1");
        }
        double[] w = new double[features];
        for (int j = 0; j < features; j++) {
            w[j] = (j % 2 == 0 ? 1.0 : -1.0) / Math.sqrt(j + 1.0);
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        AtomicFiles.write(out, temp -> {
            try (BufferedWriter wr = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(temp), StandardCharsets.UTF_8), 1 << 20)) {
                StringBuilder line = new StringBuilder(features * 12);
                for (int j = 0; j < features; j++) {
                    line.append('x').append(j).append(',');
                }
                wr.append(line).append("label\n");
                double[] x = new double[features];
                var log = output.log();
                for (long i = 0; i < rows; i++) {
                    if (i % 100_000 == 0) {
                        log.progress("generate", i, rows, "rows");
                    }
                    line.setLength(0);
                    double score = 0;
                    for (int j = 0; j < features; j++) {
                        x[j] = Math.round(gaussian(rnd) * 1e4) / 1e4;
                        score += w[j] * x[j];
                        line.append(x[j]).append(',');
                    }
                    line.append(score + noise * gaussian(rnd) > 0 ? "pos" : "neg").append('\n');
                    wr.append(line);
                }
            }
        });
        output.log().info("wrote " + rows + " rows x " + features + " features to " + out);
        return 0;
    }

    private static double gaussian(SplittableRandom rnd) {
        // Box-Muller; SplittableRandom has no nextGaussian on Java 17.
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
