package dev.mlops.cli;

import dev.mlops.engine.Log;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;

/**
 * The terminal's {@link Log}: lines to stderr (stdout is kept for results and --json), progress with percent and
 * elapsed time, rendered at most a few times a second so a tight loop cannot flood a CI log.
 */
public final class ConsoleLog implements Log {
    private static final long PROGRESS_INTERVAL_NANOS = 500_000_000L;

    private final PrintWriter out;
    private final boolean quiet;
    private final long start = System.nanoTime();
    private long lastProgress;
    private String lastTask = "";

    public ConsoleLog(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    @Override
    public synchronized void info(String message) {
        if (!quiet) {
            out.println(message);
            out.flush();
        }
    }

    @Override
    public synchronized void warn(String message) {
        out.println("WARNING: " + message);
        out.flush();
    }

    @Override
    public synchronized void progress(String task, long done, long total, String detail) {
        if (quiet) {
            return;
        }
        long now = System.nanoTime();
        boolean finished = total > 0 && done >= total;
        if (!finished && task.equals(lastTask) && now - lastProgress < PROGRESS_INTERVAL_NANOS) {
            return;
        }
        lastProgress = now;
        lastTask = task;
        StringBuilder line = new StringBuilder("  ").append(task).append(": ");
        if (total > 0) {
            line.append(String.format(Locale.ROOT, "%d/%d (%.0f%%)", done, total, 100.0 * done / total));
        } else {
            line.append(done);
        }
        if (detail != null && !detail.isEmpty()) {
            line.append(' ').append(detail);
        }
        line.append(" [").append(elapsed()).append(']');
        out.println(line);
        out.flush();
    }

    private String elapsed() {
        Duration d = Duration.ofNanos(System.nanoTime() - start);
        return String.format(Locale.ROOT, "%d.%01ds", d.toSeconds(), d.toMillisPart() / 100);
    }
}
