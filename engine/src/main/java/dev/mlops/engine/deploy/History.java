package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Questions asked of the ledger: which release to roll back to, and bookkeeping of releases replaced. */
final class History {
    private History() {
    }

    static Optional<Release> find(List<Release> ledger, String id) {
        return ledger.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    /**
     * Whether the unfinished release {@code r} had switched traffic to its color. Before its switch a release's color
     * is never the active one (a deploy prepares the idle color, a rollback flips to the warm one), so the active
     * color alone tells; the color's own release id does not, since a warm flip serves a color prepared by an earlier
     * release.
     */
    static boolean switched(Release r, Optional<Color> active) {
        return active.equals(Optional.of(r.color()));
    }

    /** Whether {@code r} prepared (started) its color; a warm flip only moves traffic onto an earlier release's. */
    static boolean prepared(Release r, Optional<SlotState> slot) {
        return slot.map(sl -> r.id().equals(sl.releaseId())).orElse(false);
    }

    static boolean sameVersion(SlotState s, Release r) {
        return Objects.equals(s.modelVersion(), r.modelVersion()) && Objects.equals(s.image(), r.image())
                && Objects.equals(s.modelName(), r.modelName());
    }

    /** {@code ledger} with {@code replaced} (if it is there and SUCCEEDED) marked ROLLED_BACK by {@code by}. */
    static List<Release> rolledBack(List<Release> ledger, Release replaced, Release by) {
        if (replaced == null) {
            return ledger;
        }
        Optional<Release> cur = find(ledger, replaced.id());
        if (cur.isEmpty() || cur.get().outcome() != Outcome.SUCCEEDED) {
            return ledger;
        }
        return Ledger.put(ledger, cur.get().withOutcome(Outcome.ROLLED_BACK, "rolled back by " + by.id(),
                cur.get().finishedAt()));
    }

    /** The release {@code to} names: {@code previous}, a release id, or a model version (with or without a v). */
    static Release resolve(List<Release> ledger, String to, SlotState serving, SlotState warm, Log log) {
        List<Release> served = ledger.stream().filter(r -> Ledger.SERVED.contains(r.outcome())).toList();
        if (to.equals("previous") && warm != null && warm.desiredReplicas() > 0 && warm.releaseId() != null
                && (serving == null || !Objects.equals(serving.modelVersion(), warm.modelVersion())
                    || !Objects.equals(serving.image(), warm.image()))
                && served.stream().noneMatch(r -> serving == null || !sameVersion(serving, r))) {
            // The ledger lost its history (missing or corrupt) but the warm color still says what it runs.
            log.warn("rollback: the ledger has no earlier release; using what the warm color runs (release "
                    + warm.releaseId() + ", model v" + warm.modelVersion() + ")");
            return new Release(warm.releaseId(), "deploy", null, warm.color(), warm.image(), warm.modelName(),
                    warm.modelVersion(), null, null, null, null, null, null, Outcome.SUCCEEDED, null, null, null);
        }
        if (served.isEmpty()) {
            throw new InputException("rollback: the ledger has no release that served successfully");
        }
        Optional<Release> hit;
        if (to.equals("previous")) {
            hit = served.stream().filter(r -> serving == null || !sameVersion(serving, r)).findFirst();
        } else {
            hit = find(served, to);
            if (hit.isEmpty()) {
                String v = to.startsWith("v") ? to.substring(1) : to;
                hit = served.stream().filter(r -> r.modelVersion().equals(v)).findFirst();
            }
        }
        return hit.orElseThrow(() -> new InputException("rollback: no release matches '" + to
                + "'; releases that served: " + served.stream().map(r -> r.id() + " (v" + r.modelVersion() + ")").toList()));
    }
}
