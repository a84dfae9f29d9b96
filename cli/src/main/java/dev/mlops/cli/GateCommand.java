package dev.mlops.cli;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.gate.Baseline;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.train.TrainOutputs;
import dev.mlops.engine.report.ReportFiles;
import dev.mlops.engine.report.ReportWriters;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
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

    @Option(names = "--metrics", paramLabel = "FILE", description = "metrics.json written by 'mlops train' (default: OUT/metrics.json).")
    Path metricsFile;

    @Mixin BuildOptions build;

    @Option(names = "--baseline-version", description = "Compare against this registered version instead of the alias holder.")
    String baselineVersion;

    @Override
    public Integer call() {
        PipelineSpec s = spec.load();
        var log = output.log();
        Path dir = build.outDir(s);
        Path metrics = metricsFile != null ? metricsFile : dir.resolve("metrics.json");
        Map<String, Double> candidate = TrainOutputs.readMetrics(metrics);
        Optional<Baseline> baseline;
        try (Tracker t = tracking.open(s, log)) {
            baseline = baselineVersion != null ? Optional.of(Pipeline.baselineOfVersion(s, t, baselineVersion))
                    : Pipeline.baseline(s, t);
        }
        var report = Pipeline.gate(s, candidate, TrainOutputs.readNotes(metrics), baseline, log);
        var files = ReportFiles.write(report, dir.resolve("reports"), "gate");
        output.human(ReportWriters.text(report));
        output.json(ReportWriters.json(report));
        log.info("reports: " + files.json().getParent());
        return report.passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
