package dev.mlops.jenkins;

import java.util.List;
import java.util.Map;

/** Reading the CLI's JSON results (maps of maps) by the contract's field names, tolerating absent values. */
public final class ResultMaps {
    private ResultMaps() {
    }

    public static Object at(Map<String, Object> m, String... path) {
        Object v = m;
        for (String key : path) {
            if (!(v instanceof Map<?, ?> map)) {
                return null;
            }
            v = map.get(key);
        }
        return v;
    }

    public static String str(Map<String, Object> m, String... path) {
        Object v = at(m, path);
        return v == null ? null : String.valueOf(v);
    }

    public static boolean bool(Map<String, Object> m, String... path) {
        return Boolean.TRUE.equals(at(m, path));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Map<String, Object> m, String... path) {
        Object v = at(m, path);
        return v instanceof Map<?, ?> ? (Map<String, Object>) v : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> rows(Map<String, Object> m, String... path) {
        Object v = at(m, path);
        return v instanceof List<?> ? (List<Map<String, Object>>) v : List.of();
    }
}
