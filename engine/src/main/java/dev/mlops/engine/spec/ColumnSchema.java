package dev.mlops.engine.spec;

import java.util.List;

/**
 * Expected shape of one column. {@code min}/{@code max} are inclusive bounds for numeric columns; {@code values}
 * lists the allowed categories of a categorical column; {@code maxNullShare} overrides the data-wide default;
 * {@code nonNumeric} says whether a cell that is not a number, in a column that is otherwise numeric, is an error
 * (default) or a missing value. Any field may be null (= not checked, or the default).
 */
public record ColumnSchema(ColumnType type, Double min, Double max, List<String> values, Double maxNullShare,
                           NonNumeric nonNumeric) {
    public ColumnSchema {
        values = values == null ? null : List.copyOf(values);
        nonNumeric = nonNumeric == null ? NonNumeric.ERROR : nonNumeric;
    }

    public ColumnSchema(ColumnType type, Double min, Double max, List<String> values, Double maxNullShare) {
        this(type, min, max, values, maxNullShare, null);
    }
}
