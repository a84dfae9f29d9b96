package dev.mlops.cli.deploy;

import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.DeployJson;
import dev.mlops.engine.deploy.DeployStatus;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.SlotState;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code mlops status}: active color, what each color serves, the lock and the ledger. Writes nothing. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the active color, versions, replicas and release ledger.",
        footer = {"", "Examples:",
                "  mlops status -f examples/breast-cancer/mlops.yaml",
                "  mlops status --app cancer --target kubernetes -n ml-production --json"})
public final class StatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Mixin
    DeploySpecOptions fromSpec;

    @Option(names = "--json", description = "Print the status as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        fromSpec.applyTo(where, new CheckOptions(), false);
        Log log = new dev.mlops.cli.ConsoleLog(spec.commandLine().getErr(), false);
        try (Target target = where.open(log, Clock.systemUTC(), null)) {
            DeployStatus s = new BlueGreen(target, null, where.serverClient(), log, Clock.systemUTC(), Sleeper.REAL)
                    .status(where.app);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(DeployJson.write(s));
            } else {
                out.println("app " + s.app() + " on " + s.target());
                out.println("active: " + (s.active() == null ? "(nothing deployed)" : s.active().id()));
                for (SlotState sl : s.slots()) {
                    out.printf("  %-5s %s v%s  image %s  release %s  replicas %d/%d ready%n", sl.color().id(),
                            sl.modelName(), sl.modelVersion(), sl.image(), sl.releaseId(), sl.readyReplicas(),
                            sl.desiredReplicas());
                }
                if (s.lock() != null) {
                    out.println("lock: held by " + s.lock().describe());
                }
                out.println("releases (newest first):");
                for (Release r : s.releases()) {
                    out.printf("  %s  %-8s %-5s %s v%s  %-11s %s by %s%s%n", r.id(), r.kind(), r.color().id(),
                            r.modelName(), r.modelVersion(), r.outcome(), r.startedAt(), r.who(),
                            r.reason() == null ? "" : "  (" + r.reason() + ")");
                }
            }
            out.flush();
            return 0;
        }
    }
}
