package dev.mlops.cli;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.pipeline.Pipeline;
import dev.mlops.engine.report.ReportFiles;
import dev.mlops.engine.report.ReportWriters;
import dev.mlops.engine.spec.PipelineSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "validate-data", mixinStandardHelpOptions = true,
        description = {"Check the training data: schema, nulls, duplicates, label balance, drift.",
                "Checks schema, types, categories, ranges, null shares, row count,",
                "duplicate rows, label balance, and drift against data.reference (PSI and two-sample KS)."},
        footer = {"", "Writes data.json, data.junit.xml and data.md to OUT/reports. Exit 0 pass, 1 a check failed, 2 bad input.",
                "", "Examples:",
                "  mlops validate-data -f examples/breast-cancer/mlops.yaml",
                "  mlops validate-data --set data.reference=data/last-month.csv --json"})
public final class ValidateDataCommand implements Callable<Integer> {
    @Mixin SpecOptions spec;
    @Mixin OutputOptions output;

    @Mixin BuildOptions build;

    @Override
    public Integer call() {
        PipelineSpec s = spec.load();
        var ctx = BuildInfo.context(null, s.baseDir(), output.log());
        var check = Pipeline.checkData(s, ctx);
        Path dir = build.outDir(s).resolve("reports");
        var files = ReportFiles.write(check.report(), dir, "data");
        output.human(ReportWriters.text(check.report()));
        output.json(ReportWriters.json(check.report()));
        ctx.log().info("reports: " + files.json().getParent());
        return check.report().passed() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
