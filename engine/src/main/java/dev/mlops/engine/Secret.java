package dev.mlops.engine;

import java.util.Objects;

/**
 * A credential passed as a value. {@link #toString()} never shows it, so it cannot leak through string
 * concatenation, records' toString, or exception messages; call {@link #reveal()} only where it is sent.
 */
public final class Secret {
    private final String value;

    private Secret(String value) {
        this.value = Objects.requireNonNull(value);
    }

    public static Secret of(String value) {
        return new Secret(value);
    }

    /** Null or blank input gives null, so callers can pass an unset environment variable straight through. */
    public static Secret ofNullable(String value) {
        return value == null || value.isBlank() ? null : new Secret(value);
    }

    public String reveal() {
        return value;
    }

    /** Replaces every occurrence of this secret in {@code text} so it can be logged safely. */
    public String redact(String text) {
        return text == null ? null : text.replace(value, "****");
    }

    @Override
    public String toString() {
        return "****";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && s.value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }
}
