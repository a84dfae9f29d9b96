package dev.mlops.engine.api;

import dev.mlops.engine.InputException;

import java.time.Duration;
import java.util.Locale;

/** Durations as people write them in options and step parameters: 500ms, 30s, 5m, 1h, bare seconds, or PT30S. */
public final class Durations {
    private Durations() {
    }

    /** @throws InputException naming {@code what} (an option or parameter) when the text is not a duration */
    public static Duration parse(String what, String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (v.startsWith("pt")) {
                d = Duration.parse(v.toUpperCase(Locale.ROOT));
            } else if (v.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            } else if (v.endsWith("s")) {
                d = Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            } else if (v.endsWith("m")) {
                d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            } else if (v.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1)));
            } else {
                d = Duration.ofSeconds(Long.parseLong(v));
            }
            if (d.isNegative()) {
                throw new InputException(what + ": '" + value + "' is negative; durations must be zero or more");
            }
            return d;
        } catch (RuntimeException e) {
            if (e instanceof InputException ie) {
                throw ie;
            }
            throw new InputException(what + ": '" + value + "' is not a duration (use 500ms, 30s, 5m, 1h)");
        }
    }
}
