package dev.mlops.engine;

/**
 * Where the engine reports what it is doing. The caller decides where lines go (a terminal, a Jenkins
 * TaskListener, a test list); the engine never prints on its own.
 */
public interface Log {

    void info(String message);

    void warn(String message);

    /**
     * Progress of a long task. {@code total} may be -1 when unknown. Implementations add elapsed time and decide
     * how often to render; callers may call this as often as they like.
     */
    default void progress(String task, long done, long total, String detail) {
    }

    /** A log that drops everything. */
    Log NONE = new Log() {
        @Override public void info(String message) { }
        @Override public void warn(String message) { }
    };
}
