package dev.mlops.engine.ci;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Ordered YAML trees: mappings keep the order keys are given in, so output is deterministic. */
final class Y {
    private Y() {
    }

    /** A mapping from alternating keys and values; null values are left out. */
    static Map<String, Object> map(Object... kv) {
        if (kv.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must pair up");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    /** A sequence; null items are left out. */
    static List<Object> list(Object... items) {
        List<Object> l = new ArrayList<>(Arrays.asList(items));
        l.removeIf(java.util.Objects::isNull);
        return l;
    }

    /** Lines joined into one multi-line script (written as a literal block). */
    static String lines(String... lines) {
        return String.join("\n", lines);
    }
}
