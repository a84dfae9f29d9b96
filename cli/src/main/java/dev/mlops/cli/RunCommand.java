package dev.mlops.cli;

import dev.mlops.engine.Json;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.pipeline.RunOutcome;
import dev.mlops.engine.report.ReportWriters;
import dev.mlops.engine.spec.PipelineSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The whole pipeline: validate data, train, record, gate, register.",
                "Validate data -> train -> record the run -> gate against the production model -> on a pass,",
                "register the model as a new version with alias 'candidate'."},
        footer = {"", "Writes to OUT: model.tribuo, metrics.json, model-card.md, run.json, reports/{data,gate}.{json,junit.xml,md}.",
                "Exit 0 passed and registered, 1 data checks or gate failed (reasons printed), 2 bad input, 3 infrastructure.",
                "", "Examples:",
                "  mlops run -f examples/breast-cancer/mlops.yaml",
                "  mlops run --tracking-uri https://mlflow.example.com --json      # token from MLFLOW_TRACKING_TOKEN",
                "  mlops run --set model.algorithm=forest --set model.grid.trees=[50]"})
public final class RunCommand implements Callable<Integer> {
    @Mixin SpecOptions spec;
    @Mixin TrackingOptions tracking;
    @Mixin OutputOptions output;

    @Mixin BuildOptions build;


    @Override
    public Integer call() {
        PipelineSpec s = spec.load();
        var ctx = BuildInfo.context(build.gitSha, s.baseDir(), output.log());
        Path dir = build.outDir(s);
        RunOutcome outcome = Pipeline.run(s, log -> tracking.open(s, log), dir, ctx);
        if (outcome.stage() == RunOutcome.Stage.DATA) {
            output.human(ReportWriters.text(outcome.data()));
        } else {
            output.human(ReportWriters.text(outcome.gate()));
        }
        if (outcome.version() != null) {
            output.human("registered " + outcome.version().name() + " version " + outcome.version().version() + " @candidate"
                    + " (run " + outcome.runId() + ", " + outcome.elapsed().toMillis() + " ms)");
        }
        output.json(Json.write(outcome.toJson()));
        return outcome.exitCode();
    }
}
