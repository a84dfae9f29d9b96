package dev.mlops.cli.deploy;

import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.ReleaseResult;
import dev.mlops.engine.api.RollbackRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mlops rollback}: a selector flip to the warm color, or a blue-green redeploy of a ledger entry. */
@Command(name = "rollback", mixinStandardHelpOptions = true,
        description = {"Roll back to the previous release (or a release id or model version from the ledger).",
                "A flip when that release still runs warm; otherwise a blue-green redeploy of its image and model.",
                "Verified with one round of probes by default (deploy.rollbackVerifySeconds)."},
        footer = {"", "Examples:",
                "  mlops rollback -f examples/breast-cancer/mlops.yaml                 # to the previous release",
                "  mlops rollback -f examples/breast-cancer/mlops.yaml --to 1          # to model version 1 (or a release id)",
                "  mlops rollback --app cancer --target kubernetes -n ml-production --in-cluster"})
public final class RollbackCommand implements Callable<Integer> {
    @Mixin TargetOptions where;
    @Mixin CheckOptions checks;
    @Mixin OutputOptions output;

    @Option(names = "--to", defaultValue = RollbackRequest.PREVIOUS, description = "previous (default), a release id, or a model version.")
    String to;

    @Override
    public Integer call() {
        ReleaseResult r = output.engine().rollback(checks.applyTo(where.applyTo(new RollbackRequest())).withTo(to));
        return output.print(r, () -> Releases.text(r));
    }
}
