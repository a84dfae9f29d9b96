package dev.mlops.engine.train;

import dev.mlops.engine.Log;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress for work that reports none itself (a Tribuo trainer's fit): one line when it starts, then one every
 * {@code period} with the elapsed time, until closed.
 */
final class Heartbeat implements AutoCloseable {
    static final long DEFAULT_PERIOD_MILLIS = 5_000;

    private final ScheduledExecutorService timer;

    Heartbeat(Log log, String task, String detail, long periodMillis) {
        long start = System.nanoTime();
        log.progress(task, 0, -1, detail + ": started");
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mlops-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            long s = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
            log.progress(task, s, -1, detail + ": still fitting, " + s + " s");
        }, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
