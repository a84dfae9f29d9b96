package dev.mlops.cli;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.Json;
import dev.mlops.engine.api.ErrorResult;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;
import java.util.Arrays;

/** The {@code mlops} command. Subcommands translate options into engine calls and results into exit codes. */
@Command(name = "mlops", mixinStandardHelpOptions = true, version = "mlops " + Main.VERSION,
        description = "Ship ML models the way you ship software: check data, train, gate, track, serve, deploy.",
        subcommands = {RunCommand.class, ValidateDataCommand.class, TrainCommand.class, GateCommand.class,
                RegisterCommand.class, PromoteCommand.class, GenerateDataCommand.class, dev.mlops.cli.deploy.DeployCommand.class,
                dev.mlops.cli.deploy.RollbackCommand.class, dev.mlops.cli.deploy.StatusCommand.class,
                dev.mlops.cli.deploy.StopCommand.class, dev.mlops.cli.deploy.ProxyCommand.class,
                dev.mlops.cli.ci.GenerateCommand.class, dev.mlops.cli.ci.SummaryCommand.class,
                CommandLine.HelpCommand.class},
        footer = {"", "Exit codes: 0 ok, 1 gate or deploy failed (traffic kept on a healthy version),",
                "            2 bad input or usage, 3 infrastructure error (server, cluster, lock).",
                "With --json, an error prints {\"error\": {\"message\", \"exitCode\", \"kind\"}} on stdout."})
public final class Main implements Runnable {
    /** This CLI's release; generated pipelines pin it. */
    public static final String VERSION = "0.1.0";

    static final String JSON = "--json";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        // Tribuo reports every fit at INFO through java.util.logging; our own Log already says what matters.
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        root.setLevel(java.util.logging.Level.WARNING);
        for (var h : root.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        System.exit(execute(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command line and returns its exit code; tests call this instead of {@link #main}. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("serve", new ServeCommand(Main::openTracker));
        cl.setExecutionExceptionHandler((ex, line, parse) -> handle(ex, line.getErr(), jsonRequested(parse) ? line.getOut() : null));
        cl.setExitCodeExceptionMapper(ex -> ExitCodes.INPUT);
        // Usage errors (unknown option, missing required option) exit 2 through picocli's default, plus the JSON form.
        CommandLine.IParameterExceptionHandler usage = cl.getParameterExceptionHandler();
        cl.setParameterExceptionHandler((ex, args) -> {
            if (Arrays.asList(args).contains(JSON)) {
                PrintWriter out = ex.getCommandLine().getOut();
                out.println(Json.write(new ErrorResult(new ErrorResult.Error(ex.getMessage(), ExitCodes.INPUT, "input"))));
                out.flush();
            }
            return usage.handleParseException(ex, args);
        });
        return cl;
    }

    /** Opens a tracker for a registry reference outside a spec (serve): the URI as given, credentials from the environment. */
    public static dev.mlops.engine.tracking.Tracker openTracker(String uri) {
        return dev.mlops.engine.tracking.Trackers.open(uri, java.nio.file.Path.of("").toAbsolutePath(),
                Cli.trackingCredentials(System.getenv()), dev.mlops.engine.tracking.Timeouts.DEFAULTS,
                new ConsoleLog(new PrintWriter(System.err, true), false));
    }

    /** Engine errors become one clear line and their exit code; anything unexpected is one line too, never a trace. */
    static int handle(Exception ex, PrintWriter err) {
        return handle(ex, err, null);
    }

    /** As above; with {@code jsonOut} (the command had --json) the error's JSON form goes there too. */
    static int handle(Exception ex, PrintWriter err, PrintWriter jsonOut) {
        ErrorResult e = ErrorResult.of(ex);
        err.println("error: " + e.error().message());
        err.flush();
        if (jsonOut != null) {
            jsonOut.println(Json.write(e));
            jsonOut.flush();
        }
        return e.exitCode();
    }

    private static boolean jsonRequested(ParseResult parse) {
        ParseResult p = parse;
        while (p.subcommand() != null) {
            p = p.subcommand();
        }
        return p.hasMatchedOption(JSON);
    }
}
