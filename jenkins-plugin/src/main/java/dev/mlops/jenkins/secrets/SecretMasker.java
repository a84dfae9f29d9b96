package dev.mlops.jenkins.secrets;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Replaces every known secret value, and the Base64 forms a client would send (a bearer token, {@code user:password}),
 * with {@code ****} in log lines, result maps and messages: the same guarantee withCredentials gives a block, here for
 * the credentials a step resolves itself. The longest secret is replaced first so a secret containing another is hidden
 * whole.
 */
public final class SecretMasker implements Serializable {
    public static final String MASK = "****";
    private static final long serialVersionUID = 1L;

    private final List<String> secrets;

    public SecretMasker(Set<String> values) {
        Set<String> all = new LinkedHashSet<>();
        for (String v : values) {
            if (v != null && !v.isEmpty()) {
                all.add(v);
                all.add(Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8)));
            }
        }
        List<String> sorted = new ArrayList<>(all);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        this.secrets = List.copyOf(sorted);
    }

    public static SecretMasker none() {
        return new SecretMasker(Set.of());
    }

    public boolean isEmpty() {
        return secrets.isEmpty();
    }

    public String mask(String text) {
        if (text == null || secrets.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            if (out.contains(s)) {
                out = out.replace(s, MASK);
            }
        }
        return out;
    }

    /** A copy of a JSON-like value (maps, lists, strings, numbers) with every string masked. */
    @SuppressWarnings("unchecked")
    public Object maskDeep(Object value) {
        if (value instanceof String s) {
            return mask(s);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(mask(String.valueOf(k)), maskDeep(v)));
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>(l.size());
            l.forEach(v -> copy.add(maskDeep(v)));
            return copy;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> maskMap(Map<String, Object> map) {
        return (Map<String, Object>) maskDeep(map);
    }
}
