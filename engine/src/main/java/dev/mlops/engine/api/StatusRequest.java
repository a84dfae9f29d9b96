package dev.mlops.engine.api;

/** {@code mlops status}: active color, what each color runs, the lock, the ledger and the public endpoint. Writes only scale-downs whose delay is over, when no deploy holds the lock. */
public final class StatusRequest extends TargetRequest<StatusRequest> {
    private static final long serialVersionUID = 1L;

    public StatusRequest() {
    }
}
