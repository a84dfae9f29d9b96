package dev.mlops.engine.deploy;

import java.util.Locale;
import java.util.Optional;

/** The two slots of a blue-green pair. */
public enum Color {
    BLUE, GREEN;

    public Color other() {
        return this == BLUE ? GREEN : BLUE;
    }

    /** The lower-case name used in labels, names and files. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Color> parse(String s) {
        if (s == null) {
            return Optional.empty();
        }
        for (Color c : values()) {
            if (c.id().equalsIgnoreCase(s.trim())) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
