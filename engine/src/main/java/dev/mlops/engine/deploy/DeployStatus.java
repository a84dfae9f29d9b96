package dev.mlops.engine.deploy;

import java.util.List;

/**
 * What {@code mlops status} shows: the active color, what each color runs, the ledger, the lock if held, and what
 * the public endpoint answered when probed from where the command runs.
 */
public record DeployStatus(String app, String target, Color active, List<SlotState> slots, List<Release> releases,
                           LockInfo lock, Endpoint endpoint) {
    public DeployStatus {
        slots = List.copyOf(slots);
        releases = List.copyOf(releases);
    }

    /**
     * One probe of the public endpoint's {@code /version}: {@code status} its HTTP status (-1 when it did not answer),
     * {@code modelVersion} what it says it serves, {@code error} why it is not ok (null when ok).
     */
    public record Endpoint(String url, int status, String modelVersion, String error) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    /** Nothing deployed, or the endpoint answers 2xx. */
    public boolean healthy() {
        return active == null || endpoint != null && endpoint.ok();
    }
}
