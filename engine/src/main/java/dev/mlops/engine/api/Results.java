package dev.mlops.engine.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Immutable, serializable copies for result records (null becomes empty). */
final class Results {
    private Results() {
    }

    static <K, V> Map<K, V> map(Map<K, V> m) {
        return m == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * Hyperparameters as numbers that print as given (trees 50, C 0.1): whole-number kinds as Long, so a value read
     * back from JSON (where Jackson picks Integer) equals the one written.
     */
    static Map<String, Number> numbers(Map<String, ? extends Number> m) {
        Map<String, Number> out = new LinkedHashMap<>();
        if (m != null) {
            m.forEach((k, v) -> out.put(k, v instanceof Integer || v instanceof Short || v instanceof Byte
                    ? (Number) v.longValue() : v));
        }
        return Collections.unmodifiableMap(out);
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : List.copyOf(l);
    }

    /** JSON has no NaN or infinities: such values are absent (null). */
    static Double finite(Double d) {
        return d == null || !Double.isFinite(d) ? null : d;
    }

    static String string(Object o) {
        return o == null ? null : o.toString();
    }
}
