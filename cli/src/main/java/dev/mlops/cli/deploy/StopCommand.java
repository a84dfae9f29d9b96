package dev.mlops.cli.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.Target;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.time.Clock;
import java.util.concurrent.Callable;

/** {@code mlops stop}: ends a local app's model servers and proxy; the ledger stays for the record. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop a local app: both colors' model servers (they drain first) and its proxy.",
        footer = {"", "The release ledger is kept. On Kubernetes, remove an app with kubectl (see k8s/README.md).",
                "", "Example:", "  mlops stop --app breast-cancer"})
public final class StopCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Mixin
    DeploySpecOptions fromSpec;

    @Override
    public Integer call() {
        fromSpec.applyTo(where, new CheckOptions(), false);
        if (where.kubernetes()) {
            throw new InputException("stop is for --target local; on Kubernetes delete the app's Deployments and Services with kubectl");
        }
        Log log = new dev.mlops.cli.ConsoleLog(spec.commandLine().getErr(), false);
        try (Target target = where.open(log, Clock.systemUTC(), null)) {
            ((LocalTarget) target).stopAll();
            log.info("stopped " + where.app + " (servers and proxy); ledger kept");
        }
        return 0;
    }
}
