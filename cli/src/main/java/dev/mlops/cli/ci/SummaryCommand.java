package dev.mlops.cli.ci;

import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.SummaryRequest;
import dev.mlops.engine.api.SummaryResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code mlops summary}: results of earlier steps as Markdown, or one value of one, for CI pipelines. */
@Command(name = "summary", mixinStandardHelpOptions = true,
        description = {"Print --json results of earlier commands as Markdown (gate table, release record, ...),",
                "or with --field one value of a result: what generated pipelines use instead of a JSON tool."},
        footer = {"", "Examples:",
                "  mlops gate --json > gate.json; mlops summary gate.json >> \"$GITHUB_STEP_SUMMARY\"",
                "  mlops summary --field version register.json        # the registered version",
                "", "Exit codes: 0 printed, 1 the field is absent, 2 bad input."})
public final class SummaryCommand implements Callable<Integer> {
    @Mixin OutputOptions output;

    @Option(names = "--field", paramLabel = "PATH", description = "Print only this value of the first file (dotted path, e.g. release.id).")
    String field;

    @Parameters(arity = "1..*", paramLabel = "RESULT.json", description = "Files written by a command's --json.")
    List<String> files;

    @Override
    public Integer call() {
        SummaryResult r = output.engine().summarize(new SummaryRequest(files).withField(field));
        return output.print(r, () -> r.text() == null ? "" : r.text());
    }
}
