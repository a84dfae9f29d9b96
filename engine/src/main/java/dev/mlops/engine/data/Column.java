package dev.mlops.engine.data;

/** One named, typed column of a {@link Table}. Missing cells are allowed and counted by the data checks. */
public sealed interface Column permits NumericColumn, CategoricalColumn {

    String name();

    int size();

    boolean isMissing(int row);

    /** The cell as text: numbers that are whole print without a fraction ("1", not "1.0"); missing is null. */
    String text(int row);

    default long missingCount() {
        long n = 0;
        for (int i = 0; i < size(); i++) {
            if (isMissing(i)) {
                n++;
            }
        }
        return n;
    }
}
