package dev.mlops.engine.spec;

import dev.mlops.engine.InputException;

import java.util.ArrayList;
import java.util.List;

/**
 * The key of a {@code --set key.path=value} override: names separated by dots, where a name that holds dots (or an
 * '=') is quoted, {@code gate.metrics."f1.class_0".min} or {@code gate.metrics.'f1.class_0'.min}. Inside double
 * quotes, {@code \"} and {@code \\} stand for a quote and a backslash.
 */
public final class OverrideKey {
    private OverrideKey() {
    }

    /** Index of the '=' that ends the key (an '=' inside a quoted name does not), or -1. */
    static int equalsSign(String override) {
        char quote = 0;
        for (int i = 0; i < override.length(); i++) {
            char c = override.charAt(i);
            if (quote == '"' && c == '\\') {
                i++;
            } else if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '=') {
                return i;
            }
        }
        return -1;
    }

    /** The names of {@code key}; errors name the whole {@code override}. */
    static List<String> parse(String override, String key) {
        List<String> names = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        int i = 0;
        while (i <= key.length()) {
            char c = i < key.length() ? key.charAt(i) : '.';
            if (c == '"' || c == '\'') {
                if (cur.length() > 0 || quoted) {
                    throw error(override, "a quote may only enclose a whole name, as in gate.metrics.\"f1.yes\".min");
                }
                int close = closing(key, i, c);
                if (close < 0) {
                    throw error(override, "the quote opened at character " + (i + 1) + " of the key is not closed");
                }
                cur.append(unescape(key.substring(i + 1, close), c));
                quoted = true;
                i = close + 1;
                if (i < key.length() && key.charAt(i) != '.') {
                    throw error(override, "a quoted name must be followed by '.' or '='");
                }
                continue;
            }
            if (c == '.') {
                if (cur.length() == 0 && !quoted) {
                    throw error(override, "empty name in the key (two dots, or a dot at either end)");
                }
                names.add(cur.toString());
                cur.setLength(0);
                quoted = false;
            } else {
                cur.append(c);
            }
            i++;
        }
        return List.copyOf(names);
    }

    /** A key as a user would type it in {@code --set}: names joined by dots, quoted where they hold dots. */
    public static String show(List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String n : names) {
            out.add(n.contains(".") || n.contains("=") || n.isEmpty()
                    ? "\"" + n.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : n);
        }
        return String.join(".", out);
    }

    private static int closing(String key, int open, char quote) {
        for (int j = open + 1; j < key.length(); j++) {
            char c = key.charAt(j);
            if (quote == '"' && c == '\\') {
                j++;
            } else if (c == quote) {
                return j;
            }
        }
        return -1;
    }

    private static String unescape(String s, char quote) {
        if (quote != '"') {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int j = 0; j < s.length(); j++) {
            char c = s.charAt(j);
            if (c == '\\' && j + 1 < s.length()) {
                c = s.charAt(++j);
            }
            b.append(c);
        }
        return b.toString();
    }

    private static InputException error(String override, String problem) {
        return new InputException("--set " + override + ": " + problem);
    }
}
