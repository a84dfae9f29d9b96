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

    /** Entries of a list; an entry holding several lines (the form's text area) gives one entry per line. */
    static List<String> list(List<String> values) {
        List<String> out = new ArrayList<>();
        if (values != null) {
            for (String v : values) {
                for (String line : v == null ? new String[0] : v.split("\\R")) {
                    String t = trim(line);
                    if (t != null) {
                        out.add(t);
                    }
                }
            }
        }
        return out;
    }

    static <T> T orDefault(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
