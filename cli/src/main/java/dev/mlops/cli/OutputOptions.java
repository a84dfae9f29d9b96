package dev.mlops.cli;

import dev.mlops.engine.Json;
import dev.mlops.engine.api.Engine;
import dev.mlops.engine.api.EngineResult;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Output switches shared by every command: results go to stdout (human text, or with --json exactly the result's
 * JSON), logs and progress to stderr, both through picocli's writers so tests can capture them.
 */
public final class OutputOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--json", description = "Print the result as JSON on stdout (logs stay on stderr).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Only warnings and errors on stderr.")
    boolean quiet;

    public ConsoleLog log() {
        return new ConsoleLog(err(), quiet);
    }

    /** The engine, logging to stderr. */
    public Engine engine() {
        return Cli.engine(err(), quiet);
    }

    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    public PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Prints the result ({@code Json.write(result)} with --json, else {@code human}) and returns its exit code. */
    public int print(EngineResult result, Supplier<String> human) {
        PrintWriter out = out();
        out.println(json ? Json.write(result) : human.get());
        out.flush();
        return result.exitCode();
    }
}
