package dev.mlops.engine.api;

/** {@code mlops status}: active color, what each color runs, the lock, the ledger and the public endpoint. Writes nothing. */
public final class StatusRequest extends TargetRequest<StatusRequest> {
    private static final long serialVersionUID = 1L;

    public StatusRequest() {
    }
}
