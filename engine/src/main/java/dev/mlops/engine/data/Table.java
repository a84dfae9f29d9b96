package dev.mlops.engine.data;

import dev.mlops.engine.InputException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An immutable, column-oriented data set read from one source (a file path or a description). */
public final class Table {
    private final String source;
    private final List<Column> columns;
    private final Map<String, Column> byName;
    private final int rows;

    public Table(String source, List<Column> columns) {
        this.source = source;
        this.columns = List.copyOf(columns);
        this.byName = new LinkedHashMap<>();
        int n = columns.isEmpty() ? 0 : columns.get(0).size();
        for (Column c : columns) {
            if (c.size() != n) {
                throw new IllegalArgumentException("column " + c.name() + " has " + c.size() + " rows, expected " + n);
            }
            if (byName.put(c.name(), c) != null) {
                throw new IllegalArgumentException("duplicate column " + c.name());
            }
        }
        this.rows = n;
    }

    /** Where the data came from, used in every error message about it. */
    public String source() {
        return source;
    }

    public int rowCount() {
        return rows;
    }

    public List<Column> columns() {
        return columns;
    }

    public List<String> columnNames() {
        List<String> names = new ArrayList<>(columns.size());
        for (Column c : columns) {
            names.add(c.name());
        }
        return names;
    }

    public Optional<Column> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** The named column, or an input error naming the file and the columns it does have. */
    public Column column(String name) {
        Column c = byName.get(name);
        if (c == null) {
            throw new InputException(source + ": no column named '" + name + "'; columns are " + columnNames());
        }
        return c;
    }
}
