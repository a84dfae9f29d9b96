package dev.mlops.engine.deploy;

import java.util.List;

/** What {@code mlops status} shows: the active color, what each color runs, the ledger and the lock, if held. */
public record DeployStatus(String app, String target, Color active, List<SlotState> slots, List<Release> releases,
                           LockInfo lock) {
    public DeployStatus {
        slots = List.copyOf(slots);
        releases = List.copyOf(releases);
    }
}
