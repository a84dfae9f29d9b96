package dev.mlops.engine.deploy;

import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.util.function.Supplier;

/**
 * Cleanup after an interrupt must still reach the cluster or the proxy: HTTP clients and file locks refuse to work
 * on an interrupted thread. {@link #uninterruptibly} clears the flag for the cleanup and sets it again afterwards.
 */
final class Interrupts {
    private Interrupts() {
    }

    static <T> T uninterruptibly(Supplier<T> body) {
        boolean was = Thread.interrupted();
        try {
            return body.get();
        } finally {
            if (was) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void uninterruptibly(Runnable body) {
        uninterruptibly(() -> {
            body.run();
            return null;
        });
    }

    /** Whether {@code e} (or the thread's state) says the run was interrupted or asked to abort. */
    static boolean isAbort(Throwable e) {
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InterruptedDeployException || t instanceof AbortRequestedException
                    || t instanceof InterruptedException || t instanceof InterruptedIOException
                    || t instanceof ClosedByInterruptException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** What to write in the ledger and the message for an exception that stopped a step. */
    static String describe(Throwable e, String where) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AbortRequestedException a) {
                return "aborted by " + a.by() + " " + where;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (isAbort(e)) {
            return "interrupted " + where + " (build aborted or Ctrl-C)";
        }
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return "error " + where + ": " + msg;
    }
}
