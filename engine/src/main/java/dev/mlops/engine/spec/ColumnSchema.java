package dev.mlops.engine.spec;

import java.util.List;

/**
 * Expected shape of one column. {@code min}/{@code max} are inclusive bounds for numeric columns; {@code values}
 * lists the allowed categories of a categorical column; {@code maxNullShare} overrides the data-wide default.
 * Any field may be null (= not checked).
 */
public record ColumnSchema(ColumnType type, Double min, Double max, List<String> values, Double maxNullShare) {
    public ColumnSchema {
        values = values == null ? null : List.copyOf(values);
    }
}
