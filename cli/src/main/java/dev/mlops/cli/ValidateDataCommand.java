package dev.mlops.cli;

import dev.mlops.engine.api.ValidateDataRequest;
import dev.mlops.engine.api.ValidateDataResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

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
        ValidateDataResult r = output.engine().validateData(new ValidateDataRequest(spec.file)
                .withOverrides(spec.overrides).withOut(build.out));
        return output.print(r, () -> r.report().text());
    }
}
