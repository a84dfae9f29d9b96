package dev.mlops.engine.deploy;

/** Thrown inside a running deploy when someone asked for an abort through the lock ({@code mlops abort}). */
final class AbortRequestedException extends RuntimeException {
    private final String by;

    AbortRequestedException(String by) {
        super("aborted by " + by);
        this.by = by;
    }

    String by() {
        return by;
    }
}
