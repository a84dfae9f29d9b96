package dev.mlops.engine.train;

import dev.mlops.engine.Log;
import dev.mlops.engine.data.CategoricalColumn;
import dev.mlops.engine.data.Column;
import dev.mlops.engine.data.NumericColumn;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.evaluate.TableExamples;
import dev.mlops.engine.model.ModelSchema;
import dev.mlops.engine.spec.Algorithm;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tribuo.Example;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.provenance.SimpleDataSourceProvenance;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The product benchmark's training half: logistic regression on 1,000,000 rows x 30 numeric features, one grid
 * point, folds = 1 (one fit on 80%, predictions on 20%). Prints timings; asserts nothing about time.
 * Run: ./mvnw -B -q -ntp -pl engine test -Dtest=TrainingBench -Dmlops.bench=true -DargLine=-Xmx4g
 */
@Tag("bench")
@EnabledIfSystemProperty(named = "mlops.bench", matches = "true")
class TrainingBench {

    /** Where the time goes: example building, dataset statistics, LibLinear raw and standardised. */
    @Test
    void phases() {
        Table t = table();
        var schemaInputs = new ArrayList<ModelSchema.Input>();
        for (int j = 0; j < 30; j++) {
            schemaInputs.add(new ModelSchema.Input("f" + j, ColumnType.NUMERIC, null));
        }
        var schema = new ModelSchema(1, "b", "label", schemaInputs, List.of("0", "1"), "1", "logistic", Map.of(), "s", "h", "t");
        long t0 = System.nanoTime();
        var b = new TableExamples(t, schema);
        var l0 = new Label("0");
        var l1 = new Label("1");
        List<Example<Label>> ex = new ArrayList<>();
        int[] y = ((CategoricalColumn) t.column("label")).codes();
        for (int i = 0; i < 800_000; i++) {
            ex.add(b.example(i, y[i] == 1 ? l1 : l0));
        }
        long t1 = System.nanoTime();
        var f = new LabelFactory();
        var ds = new MutableDataset<>(ex, new SimpleDataSourceProvenance("x", f), f);
        long t2 = System.nanoTime();
        var raw = Trainers.create(Algorithm.LOGISTIC, Map.of("C", 1.0), false, 1, 30, List.of());
        raw.train(ds);
        long t3 = System.nanoTime();
        var names = new ArrayList<String>();
        for (int j = 0; j < 30; j++) {
            names.add("f" + j);
        }
        var std = Trainers.create(Algorithm.LOGISTIC, Map.of("C", 1.0), true, 1, 30, names);
        std.train(ds);
        long t4 = System.nanoTime();
        System.out.printf("[bench] examples %d ms, dataset %d ms, liblinear raw %d ms, standardized %d ms%n",
                (t1 - t0) / 1000000, (t2 - t1) / 1000000, (t3 - t2) / 1000000, (t4 - t3) / 1000000);
    }

    static Table table() {
        int n = 1_000_000;
        int p = 30;
        Random rnd = new Random(1);
        double[] w = new double[p];
        for (int j = 0; j < p; j++) {
            w[j] = rnd.nextGaussian();
        }
        double[][] x = new double[p][n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < p; j++) {
                x[j][i] = rnd.nextGaussian();
                s += w[j] * x[j][i];
            }
            y[i] = s + rnd.nextGaussian() > 0 ? 1 : 0;
        }
        List<Column> cols = new ArrayList<>();
        for (int j = 0; j < p; j++) {
            cols.add(new NumericColumn("f" + j, x[j]));
        }
        cols.add(new CategoricalColumn("label", y, List.of("0", "1")));
        return new Table("bench-1m", cols);
    }

    /** Outside Maven, to choose the heap: java -Xmx4g -cp ... dev.mlops.engine.train.TrainingBench */
    public static void main(String[] args) {
        new TrainingBench().logisticOnAMillionRows();
    }

    @Test
    void logisticOnAMillionRows() {
        Table t = table();
        Log log = new Log() {
            @Override public void info(String m) { System.out.println("[bench] " + m); }
            @Override public void warn(String m) { System.out.println("[bench] WARN " + m); }
        };
        var threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        TrainingResult r = Training.run(new TrainingRequest(t, new DataSpec(null, null, "label", null, null, null, null, null),
                new ModelSpec(Algorithm.LOGISTIC, true, 42L, Map.of(), 1, null, 0.2, null), "bench", "sha", "h",
                Clock.systemUTC()), log);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // wall time on a shared 2-core box swings with other load; the main thread's CPU time does not
        long cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        Runtime rt = Runtime.getRuntime();
        System.out.println("[bench] train+evaluate " + ms + " ms wall, " + cpuMs + " ms main-thread CPU; phases "
                + r.timingsMillis() + "; accuracy "
                + r.test().metric("accuracy") + "; heap used " + (rt.totalMemory() - rt.freeMemory()) / (1 << 20)
                + " MiB of max " + rt.maxMemory() / (1 << 20) + " MiB");
    }
}
