package dev.mlops.serve;

/** A request the server refuses; {@code status} is the HTTP status and the message goes to the client as is. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }
}
