package dev.mlops.engine.deploy;

import java.util.ArrayList;
import java.util.List;

/** The last N releases of one app, newest first. One implementation per target (a ConfigMap, a JSON file). */
public interface Ledger {

    /** Newest first. A missing ledger is empty; a corrupt one is reported through the log and read as empty. */
    List<Release> read();

    /** Replaces the whole ledger in one write. */
    void write(List<Release> releases);

    /** Where the ledger lives, for messages. */
    String describe();

    /** {@code releases} with {@code r} replacing the entry of the same id (or added first), trimmed to {@code max}. */
    static List<Release> upsert(List<Release> releases, Release r, int max) {
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
        return List.copyOf(out.subList(0, Math.min(max, out.size())));
    }
}
