package dev.mlops.engine.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

import java.util.Locale;

public enum ColumnType {
    NUMERIC, CATEGORICAL;

    @JsonCreator
    public static ColumnType parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }
}
