package dev.mlops.cli;

import dev.mlops.engine.api.PromoteRequest;
import dev.mlops.engine.api.PromoteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** Moves a registry alias (candidate, staging, production) to a model version. */
@Command(name = "promote",
        description = "Point a registry alias (candidate, staging, production) at a model version.",
        footer = {"", "Examples:",
                "  mlops promote --alias production --version 3",
                "  mlops promote --alias staging --from-alias candidate -f examples/breast-cancer/mlops.yaml"})
public final class PromoteCommand implements Callable<Integer> {
    @Mixin SpecOptions spec;
    @Mixin TrackingOptions tracking;
    @Mixin OutputOptions output;

    @Option(names = "--alias", description = "Alias to move, e.g. production (required).")
    String alias;

    // --version is the model version here (as in 'mlops promote --alias production --version 3'), so this command
    // declares -h/--help itself instead of picocli's standard mixin, whose -V/--version would clash.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", description = "Model version number (this or --from-alias).")
    String version;

    @Option(names = "--from-alias", description = "Take the version that holds this alias, e.g. candidate.")
    String fromAlias;

    @Option(names = "--model", description = "Registered model name (default: tracking.registeredModel of the spec).")
    String model;

    @Override
    public Integer call() {
        PromoteResult r = output.engine().promote(new PromoteRequest(spec.file, alias).withOverrides(spec.overrides)
                .withTrackingUri(tracking.uri).withVersion(version).withFromAlias(fromAlias).withModel(model));
        return output.print(r, () -> "alias '" + r.alias() + "' of " + r.model() + " -> version " + r.version()
                + (r.previousVersion() == null ? " (new alias)" : " (was version " + r.previousVersion() + ")"));
    }
}
