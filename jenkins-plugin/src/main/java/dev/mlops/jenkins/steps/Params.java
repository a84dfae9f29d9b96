package dev.mlops.jenkins.steps;

import java.util.ArrayList;
import java.util.List;

/** Normalising what data binding hands the setters: blank means "not given". */
final class Params {
    private Params() {
    }

    static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }

    static List<String> list(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                String t = trim(v);
                if (t != null) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
