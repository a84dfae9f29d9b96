package dev.mlops.engine.api;

import java.util.List;

/**
 * {@code mlops rollback}: back to {@code to}: {@code previous} (default), a release id from the ledger, or a model
 * version. Verification defaults to {@code deploy.rollbackVerifySeconds} (one round of probes), not the deploy's window.
 */
public final class RollbackRequest extends ReleaseRequest<RollbackRequest> {
    private static final long serialVersionUID = 1L;

    public static final String PREVIOUS = "previous";

    private String to = PREVIOUS;

    public RollbackRequest() {
    }

    public RollbackRequest withTo(String v) {
        return copy(c -> ((RollbackRequest) c).to = v == null || v.isBlank() ? PREVIOUS : v.trim());
    }

    public String to() {
        return to;
    }

    @Override
    List<Object> values() {
        List<Object> v = super.values();
        v.add(to);
        return v;
    }
}
