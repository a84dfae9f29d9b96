package dev.mlops.cli;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
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
        if (alias == null || alias.isBlank()) {
            throw new InputException("promote needs --alias, e.g. --alias production");
        }
        if ((version == null) == (fromAlias == null)) {
            throw new InputException("promote needs exactly one of --version N or --from-alias ALIAS");
        }
        var log = output.log();
        PipelineSpec s = spec.load();
        String name = model != null ? model : s.tracking().registeredModel();
        try (Tracker t = tracking.open(s, log)) {
            ModelVersion target = version != null ? t.getModelVersion(name, version)
                    : t.findByAlias(name, fromAlias).orElseThrow(() ->
                    new InputException("registered model '" + name + "' has no alias '" + fromAlias + "'"));
            Optional<ModelVersion> previous = t.findByAlias(name, alias);
            t.setAlias(name, alias, target.version());
            log.info("alias '" + alias + "' of " + name + " -> version " + target.version()
                    + previous.map(p -> " (was version " + p.version() + ")").orElse(" (new alias)"));
            if (output.json) {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("model", name);
                out.put("alias", alias);
                out.put("version", target.version());
                out.put("previousVersion", previous.map(ModelVersion::version).orElse(null));
                output.json(Json.write(out));
            }
        }
        return 0;
    }
}
