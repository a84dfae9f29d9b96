package dev.mlops.cli;

import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.Json;
import dev.mlops.engine.data.CsvReader;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.RunStatus;
import dev.mlops.engine.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train with grid search and cross-validation, evaluate, write a model card.",
                "Grid search with k-fold cross-validation (or a validation split), refit on the",
                "training split, evaluate once on the held-out test split, and record the run in the tracking store."},
        footer = {"", "Writes model.tribuo (Tribuo protobuf), metrics.json, performance.json, model-card.md and train.json to OUT.",
                "", "Examples:",
                "  mlops train -f examples/breast-cancer/mlops.yaml",
                "  mlops train --set model.algorithm=xgboost --set model.grid.trees=[50,100] --out /tmp/xgb",
                "  mlops train --no-track --json"})
public final class TrainCommand implements Callable<Integer> {
    @Mixin SpecOptions spec;
    @Mixin TrackingOptions tracking;
    @Mixin OutputOptions output;

    @Mixin BuildOptions build;


    @Option(names = "--no-track", description = "Do not record the run in the tracking store.")
    boolean noTrack;

    @Override
    public Integer call() {
        PipelineSpec s = spec.load();
        var ctx = BuildInfo.context(build.gitSha, s.baseDir(), output.log());
        Path dir = build.outDir(s);
        var table = CsvReader.read(s.data().path(), s.data().schema(), ctx.log());
        Tracker tracker = noTrack ? null : tracking.open(s, ctx.log());
        try {
            if (tracker != null) {
                tracker.registeredModelExists(s.tracking().registeredModel()); // fail fast when unreachable
            }
            var trained = Pipeline.train(s, table, dir, ctx);
            String runId = null;
            if (tracker != null) {
                runId = Pipeline.track(s, tracker, trained, ctx).runId();
                tracker.endRun(runId, RunStatus.FINISHED);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("runId", runId);
            result.put("model", trained.files().model().toString());
            result.put("algorithm", trained.result().algorithm().id());
            result.put("chosen", trained.result().chosen());
            result.put("metrics", trained.metrics());
            result.put("trainRows", trained.result().trainRows());
            result.put("testRows", trained.result().testRows());
            result.put("timingsMillis", trained.result().timingsMillis());
            AtomicFiles.writeString(dir.resolve("train.json"), Json.write(result) + "\n");
            output.human("model: " + trained.files().model() + "\nmetrics: " + trained.files().metrics()
                    + "\ncard: " + trained.files().card() + (runId != null ? "\nrun: " + runId : ""));
            output.json(Json.write(result));
            return 0;
        } finally {
            if (tracker != null) {
                tracker.close();
            }
        }
    }
}
