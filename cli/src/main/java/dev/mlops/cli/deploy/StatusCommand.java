package dev.mlops.cli.deploy;

import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.ReleaseInfo;
import dev.mlops.engine.api.StatusRequest;
import dev.mlops.engine.api.StatusResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code mlops status}: active color, what each color serves, the lock, the ledger and the endpoint. Writes nothing. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "Show the active color, versions, replicas and release ledger.",
        footer = {"", "Examples:",
                "  mlops status -f examples/breast-cancer/mlops.yaml",
                "  mlops status --app cancer --target kubernetes -n ml-production --json"})
public final class StatusCommand implements Callable<Integer> {
    @Mixin TargetOptions where;
    @Mixin OutputOptions output;

    @Override
    public Integer call() {
        StatusResult s = output.engine().status(where.applyTo(new StatusRequest()));
        return output.print(s, () -> text(s));
    }

    static String text(StatusResult s) {
        StringBuilder t = new StringBuilder();
        t.append("app ").append(s.app()).append(" (").append(s.environment()).append(") on ").append(s.target()).append('\n');
        t.append("active: ").append(s.active() == null ? "(nothing deployed)" : s.active());
        if (s.endpoint() != null) {
            t.append("  endpoint ").append(s.endpoint().url()).append(s.endpoint().reachable()
                    ? " serving v" + s.endpoint().modelVersion() : " NOT reachable");
        }
        t.append('\n');
        for (StatusResult.Slot sl : s.slots()) {
            t.append(String.format(Locale.ROOT, "  %-5s %s v%s  image %s  release %s  replicas %d/%d ready%n", sl.color(),
                    sl.modelName(), sl.modelVersion(), sl.image(), sl.releaseId(), sl.readyReplicas(), sl.desiredReplicas()));
        }
        if (s.lock() != null) {
            t.append("lock: held by ").append(s.lock().holder())
                    .append(s.lock().buildUrl() == null || s.lock().buildUrl().isBlank() ? "" : " (" + s.lock().buildUrl() + ")")
                    .append(" until ").append(s.lock().expiresAt()).append('\n');
        }
        t.append("releases (newest first):");
        for (ReleaseInfo r : s.releases()) {
            t.append(String.format(Locale.ROOT, "%n  %s  %-8s %-5s %s v%s  %-11s %s by %s%s", r.id(), r.kind(), r.color(),
                    r.modelName(), r.modelVersion(), r.outcome(), r.startedAt(), r.who(),
                    r.reason() == null ? "" : "  (" + r.reason() + ")"));
        }
        return t.toString();
    }
}
