package dev.mlops.cli.deploy;

import dev.mlops.cli.ConsoleLog;
import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.DeployFailedException;
import dev.mlops.engine.deploy.DeployJson;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.Target;
import dev.mlops.engine.tracking.Tracker;
import picocli.CommandLine.Model.CommandSpec;

import java.time.Clock;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Runs one release (deploy or rollback) for a command: opens the target and the registry, runs the engine, prints
 * the release record with --json (also when it failed, so CI can read why), and closes everything.
 */
final class Releases {
    private Releases() {
    }

    static Release run(CommandSpec spec, TargetOptions where, CheckOptions checks, boolean json,
                       Function<CheckOptions, Tracker> registry, BiFunction<BlueGreen, Log, Release> action) {
        Log log = new ConsoleLog(spec.commandLine().getErr(), false);
        try (Target target = where.open(log, Clock.systemUTC(), checks.trackingUri); Tracker tracker = registry.apply(checks)) {
            BlueGreen blueGreen = new BlueGreen(target, tracker, where.serverClient(), log, Clock.systemUTC(), Sleeper.REAL);
            try {
                Release r = action.apply(blueGreen, log);
                print(spec, json, r);
                return r;
            } catch (DeployFailedException e) {
                print(spec, json, e.release());
                throw e;
            }
        }
    }

    private static void print(CommandSpec spec, boolean json, Release r) {
        if (json && r != null) {
            spec.commandLine().getOut().println(DeployJson.write(r));
            spec.commandLine().getOut().flush();
        }
    }
}
