package dev.mlops.engine.deploy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The releases of one app and environment, newest first. One implementation per target (a ConfigMap, a JSON file).
 * It keeps the last N releases that served (and the newest entry of each of the last N versions that served, so warm
 * flips back and forth never push an older version out) and, separately, the last N failed attempts, so a run of
 * failures never pushes a good release (a rollback target) out. A corrupt ledger is never overwritten without a copy.
 */
public interface Ledger {
    /** Outcomes of releases that took traffic and passed: the rollback targets. */
    Set<Outcome> SERVED = EnumSet.of(Outcome.SUCCEEDED, Outcome.ROLLED_BACK);

    /** Newest first. A missing ledger is empty; a corrupt one is reported through the log and read as empty. */
    List<Release> read();

    /** Replaces the whole ledger in one write; a corrupt ledger is first kept aside under a {@code .corrupt-} name. */
    void write(List<Release> releases);

    /** Where the ledger lives, for messages. */
    String describe();

    /** {@code releases} with {@code r} replacing the entry of the same id (or added first), then {@link #retain}. */
    static List<Release> upsert(List<Release> releases, Release r, int max) {
        return retain(put(releases, r), max);
    }

    /** {@code releases} with {@code r} replacing the entry of the same id (or added first), nothing dropped. */
    static List<Release> put(List<Release> releases, Release r) {
        List<Release> out = new ArrayList<>();
        boolean replaced = false;
        for (Release x : releases) {
            if (x.id().equals(r.id())) {
                out.add(r);
                replaced = true;
            } else {
                out.add(x);
            }
        }
        if (!replaced) {
            out.add(0, r);
        }
        return List.copyOf(out);
    }

    /**
     * Every IN_PROGRESS entry, the newest {@code max} that served and the newest entry of each of the newest {@code max}
     * versions that served (model and image), the newest {@code max} others; order kept.
     */
    static List<Release> retain(List<Release> releases, int max) {
        return retain(releases, max, Set.of());
    }

    /**
     * As {@link #retain(List, int)}, and every entry named in {@code pinned} wherever it is: the releases the two
     * colors run. Warm flips add an entry each without re-preparing a color, so after a few of them the entries that
     * prepared the colors would be the oldest; they stay, as the serving release's record and the warm rollback target.
     */
    static List<Release> retain(List<Release> releases, int max, Set<String> pinned) {
        List<Release> out = new ArrayList<>();
        Set<List<String>> versions = new HashSet<>();
        int served = 0;
        int other = 0;
        for (Release x : releases) {
            if (x.outcome() == Outcome.IN_PROGRESS) {
                out.add(x);
            } else if (SERVED.contains(x.outcome())) {
                // A warm flip is a new entry for a version already here: counted by entries alone, flips would push
                // the older versions (the rollback targets) out. The newest entry of each of the last max versions stays.
                boolean newVersion = versions.size() < max
                        && versions.add(Arrays.asList(x.modelName(), x.modelVersion(), x.image()));
                if (served++ < max || newVersion || pinned.contains(x.id())) {
                    out.add(x);
                }
            } else if (other++ < max || pinned.contains(x.id())) {
                out.add(x);
            }
        }
        return List.copyOf(out);
    }
}
