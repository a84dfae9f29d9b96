package dev.mlops.engine.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Locale;

/** What a numeric column does with a cell that is not a number ({@code data.schema.<column>.nonNumeric}). */
public enum NonNumeric {
    /** The file is refused, naming the line and column (the default). */
    ERROR,
    /** The cell is read as a missing value, and one warning per column says how many and where the first is. */
    MISSING;

    @JsonCreator
    public static NonNumeric parse(String s) {
        for (var v : values()) {
            if (v.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown value '" + s + "'; expected error or missing");
    }
}
