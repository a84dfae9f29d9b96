package dev.mlops.engine.deploy;

/**
 * A wait of the deployer was interrupted (a Jenkins abort, Ctrl-C through the CLI's shutdown hook). The thread's
 * interrupt flag is set again before this is thrown, so callers above the engine still see the interrupt.
 */
public class InterruptedDeployException extends IllegalStateException {
    public InterruptedDeployException(String message) {
        super(message);
    }
}
