package dev.mlops.engine.api;

/** {@code mlops stop}: ends a local app's model servers and proxy; the ledger stays. */
public final class StopRequest extends TargetRequest<StopRequest> {
    private static final long serialVersionUID = 1L;

    public StopRequest() {
    }
}
