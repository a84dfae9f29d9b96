package dev.mlops.engine.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What the gate does when no model holds the production alias yet (the first release). */
public enum MissingBaseline {
    /** Check absolute bounds only; change bounds are reported as skipped. The default. */
    ABSOLUTE_ONLY,
    /** Pass every change bound. Absolute bounds still apply. */
    PASS,
    /** Fail the gate: a baseline is required. */
    FAIL;

    @JsonCreator
    public static MissingBaseline parse(String s) {
        for (var v : values()) {
            if (v.name().equals(s.trim().replace('-', '_').replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown value '" + s + "'; expected one of "
                + java.util.Arrays.stream(values()).map(MissingBaseline::id).toList());
    }

    @JsonValue
    public String id() {
        String[] parts = name().toLowerCase(Locale.ROOT).split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            b.append(Character.toUpperCase(parts[i].charAt(0))).append(parts[i].substring(1));
        }
        return b.toString();
    }
}
