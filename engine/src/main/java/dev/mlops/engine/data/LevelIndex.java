package dev.mlops.engine.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The distinct values of a categorical column, found by their characters: a cell that repeats a known level costs a
 * hash of its characters and one comparison, not a new string (a million-row label column has two or three levels).
 * Codes are given in order of first appearance.
 */
final class LevelIndex {
    private final List<String> levels = new ArrayList<>();
    private char[][] keys = new char[16][];
    private int[] codes = new int[16];

    /** The code of the level spelled {@code buf[off, off + len)}, or -1 when it is new. */
    int find(char[] buf, int off, int len) {
        int mask = keys.length - 1;
        for (int slot = hash(buf, off, len) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
            char[] k = keys[slot];
            if (k.length == len && Arrays.equals(k, 0, len, buf, off, off + len)) {
                return codes[slot];
            }
        }
        return -1;
    }

    /** Adds a level not yet known and returns its code. */
    int add(String level) {
        int code = levels.size();
        levels.add(level);
        if (2 * (code + 1) > keys.length) {
            char[][] oldKeys = keys;
            int[] oldCodes = codes;
            keys = new char[oldKeys.length * 2][];
            codes = new int[oldKeys.length * 2];
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != null) {
                    put(oldKeys[i], oldCodes[i]);
                }
            }
        }
        put(level.toCharArray(), code);
        return code;
    }

    List<String> levels() {
        return levels;
    }

    private void put(char[] key, int code) {
        int mask = keys.length - 1;
        int slot = hash(key, 0, key.length) & mask;
        while (keys[slot] != null) {
            slot = (slot + 1) & mask;
        }
        keys[slot] = key;
        codes[slot] = code;
    }

    private static int hash(char[] b, int off, int len) {
        int h = 0;
        for (int i = off; i < off + len; i++) {
            h = 31 * h + b[i];
        }
        return h ^ (h >>> 16);
    }
}
