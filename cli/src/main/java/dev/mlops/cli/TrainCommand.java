package dev.mlops.cli;

import dev.mlops.engine.api.TrainRequest;
import dev.mlops.engine.api.TrainResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Check the data, then train with grid search and cross-validation, evaluate, write a model card.",
                "Runs the data checks first (as 'run' does; a failure trains nothing), then grid search with k-fold",
                "cross-validation (or a validation split), refits on the training split, evaluates once on the",
                "held-out test split, and records the run in the tracking store."},
        footer = {"", "Writes reports/data.{json,junit.xml,md}, model.tribuo (Tribuo protobuf), metrics.json,",
                "performance.json, model-card.md and train.json to OUT.",
                "Exit 0 trained, 1 data checks failed (nothing trained), 2 bad input, 3 infrastructure.",
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
        TrainResult r = output.engine().train(new TrainRequest(spec.file).withOverrides(spec.overrides)
                .withTrackingUri(tracking.uri).withOut(build.out).withGitSha(build.gitSha).withTrack(!noTrack));
        return output.print(r, () -> r.model() == null
                ? r.dataChecks().report().text() + "\nnothing trained: the data checks failed"
                : "model: " + r.model() + "\nmetrics: " + r.metricsFile() + "\ncard: " + r.modelCard()
                + (r.runId() != null ? "\nrun: " + r.runId() + (r.runUrl() != null ? " " + r.runUrl() : "") : ""));
    }
}
