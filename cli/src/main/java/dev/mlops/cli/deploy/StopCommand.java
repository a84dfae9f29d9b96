package dev.mlops.cli.deploy;

import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.StopRequest;
import dev.mlops.engine.api.StopResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** {@code mlops stop}: ends a local app's model servers and proxy; the ledger stays for the record. */
@Command(name = "stop", mixinStandardHelpOptions = true,
        description = "Stop a local app: both colors' model servers (they drain first) and its proxy.",
        footer = {"", "The release ledger is kept. On Kubernetes, remove an app with kubectl (see k8s/README.md).",
                "", "Example:", "  mlops stop --app breast-cancer"})
public final class StopCommand implements Callable<Integer> {
    @Mixin TargetOptions where;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
        StopResult r = output.engine().stop(where.applyTo(new StopRequest()));
        return output.print(r, () -> "stopped " + r.app() + " (" + r.environment() + "): "
                + (r.stopped().isEmpty() ? "nothing was running" : String.join(", ", r.stopped())) + "; ledger kept");
    }
}
