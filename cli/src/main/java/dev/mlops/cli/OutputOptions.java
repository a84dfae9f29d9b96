package dev.mlops.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * Output switches shared by every command: results (tables, --json) go to stdout, logs and progress to stderr,
 * both through picocli's writers so tests can capture them.
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

    public PrintWriter out() {
        return command.commandLine().getOut();
    }

    public PrintWriter err() {
        return command.commandLine().getErr();
    }

    /** Prints {@code text} on stdout unless --json asked for JSON instead. */
    public void human(String text) {
        if (!json) {
            out().println(text);
            out().flush();
        }
    }

    public void json(String text) {
        if (json) {
            out().println(text);
            out().flush();
        }
    }
}
