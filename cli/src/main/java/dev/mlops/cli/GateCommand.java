package dev.mlops.cli;

import dev.mlops.engine.api.GateRequest;
import dev.mlops.engine.api.GateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "gate", mixinStandardHelpOptions = true,
        description = {"Check metrics against the gate policy and the production model.",
                "Absolute bounds, change bounds against the",
                "baseline (the version holding gate.baselineAlias, default production), fairness, latency and size budgets."},
        footer = {"", "Writes gate.json, gate.junit.xml and gate.md to OUT/reports. Exit 0 pass, 1 gate failed, 2 bad input.",
                "", "Examples:",
                "  mlops gate -f examples/breast-cancer/mlops.yaml             # metrics from out/metrics.json",
                "  mlops gate --metrics build/metrics.json --baseline-version 4",
                "  mlops gate --set gate.onMissingBaseline=fail --json"})
public final class GateCommand implements Callable<Integer> {
    @Mixin SpecOptions spec;
    @Mixin TrackingOptions tracking;
    @Mixin OutputOptions output;
    @Mixin BuildOptions build;

    @Option(names = "--metrics", paramLabel = "FILE", description = "metrics.json written by 'mlops train' (default: OUT/metrics.json).")
    String metricsFile;

    @Option(names = "--baseline-version", description = "Compare against this registered version instead of the alias holder.")
    String baselineVersion;


    @Override
    public Integer call() {
        GateResult r = output.engine().gate(new GateRequest(spec.file).withOverrides(spec.overrides)
                .withTrackingUri(tracking.uri).withOut(build.out).withMetrics(metricsFile)
                .withBaselineVersion(baselineVersion));
        return output.print(r, () -> r.report().text());
    }
}
