package dev.mlops.engine.data;

import java.util.List;

/** A column of strings stored as codes into {@code levels}; code -1 is a missing cell. */
public record CategoricalColumn(String name, int[] codes, List<String> levels) implements Column {

    public CategoricalColumn {
        levels = List.copyOf(levels);
    }

    @Override
    public int size() {
        return codes.length;
    }

    @Override
    public boolean isMissing(int row) {
        return codes[row] < 0;
    }

    @Override
    public String text(int row) {
        int c = codes[row];
        return c < 0 ? null : levels.get(c);
    }
}
