package dev.mlops.engine.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Locale;

public enum ColumnType {
    NUMERIC, CATEGORICAL;

    @JsonCreator
    public static ColumnType parse(String s) {
        for (var v : values()) {
            if (v.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown value '" + s + "'; expected one of "
                + java.util.Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }
}
