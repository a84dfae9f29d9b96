package dev.mlops.engine.deploy;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.MlopsException;

/** The new version was refused and traffic stayed on (or went back to) the healthy color. Exit code 1. */
public class DeployFailedException extends MlopsException {
    private final transient Release release;

    public DeployFailedException(String message, Release release) {
        super(ExitCodes.FAILED, message);
        this.release = release;
    }

    /** The ledger record of the failed release (outcome FAILED), for --json output. */
    public Release release() {
        return release;
    }
}
