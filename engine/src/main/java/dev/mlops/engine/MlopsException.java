package dev.mlops.engine;

/** Base of every failure the engine reports on purpose; the message is meant for a person, the code for a shell. */
public class MlopsException extends RuntimeException {
    private final int exitCode;

    public MlopsException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public MlopsException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
