package dev.mlops.cli.deploy;

import dev.mlops.engine.deploy.Release;
import dev.mlops.engine.deploy.RollbackConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code mlops rollback}: a selector flip to the warm color, or a blue-green redeploy of a ledger entry. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll back to the previous release (or a release id or model version from the ledger).",
                "A flip when that release still runs warm; otherwise a blue-green redeploy of its image and model."},
        footer = {"", "Examples:",
                "  mlops rollback -f examples/breast-cancer/mlops.yaml                 # to the previous release",
                "  mlops rollback -f examples/breast-cancer/mlops.yaml --to 1          # to model version 1 (or a release id)",
                "  mlops rollback --app cancer --target kubernetes -n ml-production --in-cluster"})
public final class RollbackCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Mixin
    CheckOptions checks;

    @Mixin
    DeploySpecOptions fromSpec;

    @Option(names = "--to", defaultValue = "previous", description = "previous (default), a release id, or a model version.")
    String to;

    @Option(names = "--json", description = "Print the rollback's release record as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        fromSpec.applyTo(where, checks, false);
        RollbackConfig req = new RollbackConfig(where.app, to, checks.replicas, checks.warmReplicas,
                checks.readyTimeout, checks.smoke(), checks.verifyWindow, checks.verifyInterval, checks.maxErrorRate,
                checks.history, checks.alias, TargetOptions.who(checks.who), TargetOptions.buildUrl(checks.buildUrl),
                checks.lockTtl);
        Releases.run(spec, where, checks, json, c -> Registry.forRollback(c.alias, c.trackingUri), (blueGreen, log) -> {
            Release r = blueGreen.rollback(req);
            log.info("rolled back " + where.app + " to " + r.modelName() + " v" + r.modelVersion() + " on " + r.color().id());
            return r;
        });
        return 0;
    }
}
