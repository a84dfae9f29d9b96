package dev.mlops.cli.deploy;

import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.BlueGreen;
import dev.mlops.engine.deploy.DeployFailedException;
import dev.mlops.engine.deploy.DeployJson;
import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.RollbackRequest;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.Target;
import dev.mlops.engine.tracking.Tracker;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code mlops rollback}: a selector flip to the warm color, or a blue-green redeploy of a ledger entry. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll back to the previous release (or a release id or model version from the ledger).",
                "A flip when that release still runs warm; otherwise a blue-green redeploy of its image and model."})
public final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Mixin
    CheckOptions checks;

    @Option(names = "--to", defaultValue = "previous", description = "previous (default), a release id, or a model version.")
    String to;

    @Option(names = "--json", description = "Print the rollback's release record as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        Log log = new dev.mlops.cli.ConsoleLog(spec.commandLine().getErr(), false);
        RollbackRequest req = new RollbackRequest(where.app, to, checks.replicas, checks.warmReplicas,
                checks.readyTimeout, checks.smoke(), checks.verifyWindow, checks.verifyInterval, checks.maxErrorRate,
                checks.history, checks.alias, TargetOptions.who(checks.who), TargetOptions.buildUrl(checks.buildUrl),
                checks.lockTtl);
        try (Target target = where.open(log, Clock.systemUTC(), checks.trackingUri); Tracker tracker = Registry.forRollback(checks.alias, checks.trackingUri)) {
            Release r;
            try {
                r = new BlueGreen(target, tracker, where.serverClient(), log, Clock.systemUTC(), Sleeper.REAL).rollback(req);
            } catch (DeployFailedException e) {
                print(e.release());
                throw e;
            }
            log.info("rolled back " + where.app + " to " + r.modelName() + " v" + r.modelVersion() + " on " + r.color().id());
            print(r);
            return 0;
        }
    }

    private void print(Release r) {
        if (json && r != null) {
            spec.commandLine().getOut().println(DeployJson.write(r));
            spec.commandLine().getOut().flush();
        }
    }
}
