package dev.mlops.cli;

import dev.mlops.engine.api.RunRequest;
import dev.mlops.engine.api.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        RunResult r = output.engine().run(new RunRequest(spec.file).withOverrides(spec.overrides)
                .withTrackingUri(tracking.uri).withOut(build.out).withGitSha(build.gitSha));
        return output.print(r, () -> text(r));
    }

    static String text(RunResult r) {
        StringBuilder t = new StringBuilder(r.stage() == RunResult.Stage.DATA ? r.dataReport().text() : r.gateReport().text());
        if (r.modelVersion() != null) {
            t.append("registered ").append(r.modelVersion().name()).append(" version ").append(r.modelVersion().version())
                    .append(" @candidate (run ").append(r.runId()).append(", ")
                    .append(Math.round(r.elapsedSeconds() * 1000)).append(" ms)");
        }
        return t.toString().stripTrailing();
    }
}
