package dev.mlops.engine.deploy;

import dev.mlops.engine.Log;

import java.util.ArrayList;
import java.util.List;

/** Collects every line (and progress detail) so tests can read what a user would have seen. */
final class ListLog implements Log {
    final List<String> lines = new ArrayList<>();

    @Override
    public synchronized void info(String message) {
        lines.add(message);
    }

    @Override
    public synchronized void warn(String message) {
        lines.add("WARNING: " + message);
    }

    @Override
    public synchronized void progress(String task, long done, long total, String detail) {
        lines.add("progress " + task + " " + done + "/" + total + " " + detail);
    }

    synchronized String text() {
        return String.join("\n", lines);
    }
}
