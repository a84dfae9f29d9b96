package dev.mlops.engine;

/** A server, cluster or lock stood in the way; the input was fine. Exit code 3. */
public class InfraException extends MlopsException {
    public InfraException(String message) {
        super(ExitCodes.INFRA, message);
    }

    public InfraException(String message, Throwable cause) {
        super(ExitCodes.INFRA, message, cause);
    }
}
