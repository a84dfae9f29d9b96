package dev.mlops.cli.deploy;

import dev.mlops.engine.Log;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Deploy steps on picocli's error writer (stdout stays for --json), one line per step; progress at most twice a
 * second per task. Kept local to the deploy commands so they do not depend on ConsoleLog's constructor, which is
 * changing on main; OutputOptions.log() can replace it once merged.
 */
final class ErrLog implements Log {
    private final PrintWriter err;
    private final long start = System.nanoTime();
    private long lastProgress;
    private String lastTask = "";

    ErrLog(PrintWriter err) {
        this.err = err;
    }

    @Override
    public synchronized void info(String message) {
        err.println(message);
        err.flush();
    }

    @Override
    public synchronized void warn(String message) {
        err.println("WARNING: " + message);
        err.flush();
    }

    @Override
    public synchronized void progress(String task, long done, long total, String detail) {
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && task.equals(lastTask) && now - lastProgress < 500_000_000L) {
            return;
        }
        lastProgress = now;
        lastTask = task;
        err.println(String.format(Locale.ROOT, "  %s: %d/%d %s [%.1fs]", task, done, total, detail == null ? "" : detail,
                (now - start) / 1e9));
        err.flush();
    }
}
