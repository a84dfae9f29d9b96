package dev.mlops.engine.train;

import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;
import dev.mlops.engine.data.CsvReader;
import dev.mlops.engine.data.Table;
import dev.mlops.engine.spec.Algorithm;
import dev.mlops.engine.spec.DataSpec;
import dev.mlops.engine.spec.ModelSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine's half of bench/train-vs-sklearn/multiclass.py: trains exactly as {@code mlops train} does (the spec's
 * stratified 80/20 split for each seed, one grid point C=1, folds 1, standardised) and prints, per seed, the held-out
 * rows and the test accuracy as one JSON line, so scikit-learn can be fitted on the very same rows.
 *
 * <pre>java -cp ... dev.mlops.engine.train.SameRowsBench FILE.csv TARGET SEEDS [algorithm]</pre>
 */
public final class SameRowsBench {
    private SameRowsBench() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        String target = args[1];
        int seeds = Integer.parseInt(args[2]);
        Algorithm algorithm = args.length > 3 ? Algorithm.parse(args[3]) : Algorithm.LOGISTIC;
        Table t = CsvReader.read(file, Map.of(), Log.NONE);
        DataSpec data = new DataSpec(null, null, target, null, null, null, null, null);
        for (long seed = 1; seed <= seeds; seed++) {
            ModelSpec spec = new ModelSpec(algorithm, true, seed, Map.of("C", List.of(1.0)), 1, null, 0.2, null);
            TrainingResult r = Training.run(new TrainingRequest(t, data, spec, "same-rows", "bench", "none", null),
                    Log.NONE);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("seed", seed);
            line.put("test_rows", r.testRowIndices());
            line.put("accuracy", r.test().metric("accuracy"));
            System.out.println(Json.MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(line));
        }
    }
}
