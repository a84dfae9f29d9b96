package dev.mlops.cli.deploy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * Ctrl-C (or SIGTERM) while a release runs: the JVM's shutdown hook interrupts the command's thread, so the engine
 * switches back to the stable color and records the release ABORTED, and waits (bounded) until the command has
 * printed its result. Without this the JVM would die mid-verification with traffic on an unverified color.
 */
final class OnSignal {
    static final Duration GRACE = Duration.ofSeconds(60);

    private OnSignal() {
    }

    static int interruptible(IntSupplier command) {
        Thread worker = Thread.currentThread();
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            if (finished.getCount() > 0) {
                worker.interrupt();
                try {
                    finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "mlops-abort-on-signal");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return command.getAsInt();
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running; it returns now that we are finished
            }
        }
    }
}
