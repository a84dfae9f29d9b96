package dev.mlops.engine;

/** Bad input: the message names the file, line, row, column or key and what was expected. Exit code 2. */
public class InputException extends MlopsException {
    public InputException(String message) {
        super(ExitCodes.INPUT, message);
    }

    public InputException(String message, Throwable cause) {
        super(ExitCodes.INPUT, message, cause);
    }
}
