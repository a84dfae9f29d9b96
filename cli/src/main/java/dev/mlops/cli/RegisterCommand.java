package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "register", mixinStandardHelpOptions = true,
        description = "Register a trained run's model as a new version of tracking.registeredModel and point an alias at it.",
        footer = {"", "The run id and model file default to those 'mlops train' wrote to OUT/train.json.",
                "", "Examples:",
                "  mlops register -f examples/breast-cancer/mlops.yaml",
                "  mlops register --run-id 4f1c... --alias candidate"})
public final class RegisterCommand implements Callable<Integer> {
    @Mixin SpecOptions spec;
    @Mixin TrackingOptions tracking;
    @Mixin OutputOptions output;

    @Mixin BuildOptions build;

    @Option(names = "--run-id", description = "Run whose model/ artifact to register (default: from OUT/train.json).")
    String runId;

    @Option(names = "--alias", defaultValue = "candidate", description = "Alias to point at the new version (default: ${DEFAULT-VALUE}).")
    String alias;

    @Override
    public Integer call() {
        PipelineSpec s = spec.load();
        var ctx = BuildInfo.context(null, s.baseDir(), output.log());
        Path dir = build.outDir(s);
        String run = runId;
        if (run == null) {
            Path trainJson = dir.resolve("train.json");
            try {
                JsonNode n = Json.MAPPER.readTree(Files.readString(trainJson));
                run = n.path("runId").isTextual() ? n.path("runId").asText() : null;
            } catch (IOException e) {
                throw new InputException(trainJson + ": cannot read (" + e.getMessage() + "); pass --run-id");
            }
            if (run == null) {
                throw new InputException(trainJson + ": the training was not tracked (--no-track); pass --run-id");
            }
        }
        try (Tracker t = tracking.open(s, ctx.log())) {
            ModelVersion v = Pipeline.registerRun(s, t, run, alias, ctx);
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("name", v.name());
            result.put("version", v.version());
            result.put("alias", alias);
            result.put("runId", run);
            result.put(ModelVersion.SHA256_TAG, v.tags().get(ModelVersion.SHA256_TAG));
            output.human(v.name() + " version " + v.version() + " @" + alias);
            output.json(Json.write(result));
            return 0;
        }
    }
}
