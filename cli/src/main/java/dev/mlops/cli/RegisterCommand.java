package dev.mlops.cli;

import dev.mlops.engine.api.RegisterRequest;
import dev.mlops.engine.api.RegisterResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--alias", defaultValue = RegisterRequest.DEFAULT_ALIAS,
            description = "Alias to point at the new version (default: ${DEFAULT-VALUE}).")
    String alias;


    @Override
    public Integer call() {
        RegisterResult r = output.engine().register(new RegisterRequest(spec.file).withOverrides(spec.overrides)
                .withTrackingUri(tracking.uri).withOut(build.out).withRunId(runId).withAlias(alias));
        return output.print(r, () -> r.name() + " version " + r.version() + " @" + r.alias() + " (run " + r.runId() + ")");
    }
}
