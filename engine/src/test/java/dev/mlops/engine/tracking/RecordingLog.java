package dev.mlops.engine.tracking;

import dev.mlops.engine.Log;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every line a backend logs, so tests can check that no secret ever reaches a log. */
public final class RecordingLog implements Log {
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void info(String message) {
        lines.add("INFO " + message);
    }

    @Override
    public void warn(String message) {
        lines.add("WARN " + message);
    }

    @Override
    public void progress(String task, long done, long total, String detail) {
        lines.add("PROGRESS " + task + " " + done + "/" + total + " " + detail);
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }
}
