package dev.mlops.cli.deploy;

import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.AbortRequest;
import dev.mlops.engine.api.ReleaseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code mlops abort}: stops the deploy or rollback in progress; traffic stays on, or goes back to, the stable color. */
@Command(name = "abort", mixinStandardHelpOptions = true,
        description = {"Abort the deploy or rollback in progress for an app and environment (like Argo Rollouts' abort):",
                "a running deploy is asked through its lock and switches back itself; one that died is cleaned up here.",
                "The release is recorded ABORTED."},
        footer = {"", "Examples:",
                "  mlops abort -f examples/breast-cancer/mlops.yaml",
                "  mlops abort -f examples/breast-cancer/mlops.yaml --staging --json",
                "", "Exit codes: 0 aborted (traffic on the stable color), 2 nothing in progress, 3 the deploy did not stop",
                "in time or traffic could not be moved back (the message says where it is)."})
public final class AbortCommand implements Callable<Integer> {
    @Mixin TargetOptions where;
    @Mixin OutputOptions output;

    @Option(names = "--wait", converter = DurationConverter.class, description = "How long to wait for a running deploy to stop (default 120s).")
    Duration wait;

    @Option(names = "--who", description = "Recorded as who aborted (default: CI user or OS user).")
    String who;

    @Override
    public Integer call() {
        ReleaseResult r = output.engine().abort(where.applyTo(new AbortRequest()).withWait(wait).withWho(who));
        return output.print(r, () -> Releases.text(r));
    }
}
