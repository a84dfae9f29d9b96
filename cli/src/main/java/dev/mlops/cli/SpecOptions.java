package dev.mlops.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Options every pipeline command shares: which spec, and overrides of any value in it. */
public final class SpecOptions {
    @Option(names = {"-f", "--file"}, defaultValue = "mlops.yaml", paramLabel = "SPEC",
            description = "Pipeline spec (default: ${DEFAULT-VALUE} in the current folder).")
    String file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override a spec value, e.g. --set model.seed=7 --set gate.metrics.accuracy.min=0.9 (repeatable).")
    List<String> overrides = new ArrayList<>();
}
