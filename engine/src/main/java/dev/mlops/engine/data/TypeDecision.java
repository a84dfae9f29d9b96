package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import dev.mlops.engine.spec.ColumnSchema;
import dev.mlops.engine.spec.ColumnType;
import dev.mlops.engine.spec.NonNumeric;

/**
 * Whether a column the schema does not declare categorical is read as numbers or as categories, decided once its
 * cells have been counted. The reader counts; this class decides, and is the one place the rule lives:
 * <ul>
 *   <li>every filled cell a number: numeric;</li>
 *   <li>most filled cells numbers, some not: the column is numeric and the others are mistakes. An error naming
 *       the first one (read as text, the column would silently become one feature per distinct value), unless
 *       the schema says {@code nonNumeric: missing}, which reads them as missing values with a warning;</li>
 *   <li>otherwise (at least as many text cells as numbers): categorical.</li>
 * </ul>
 * A column the schema declares categorical is never asked; one declared numeric refuses its first non-number
 * while reading, unless it says {@code nonNumeric: missing}.
 */
final class TypeDecision {
    enum Kind { NUMERIC, NUMERIC_WITH_MISSING, CATEGORICAL }

    private TypeDecision() {
    }

    /** What the reader saw in one column: numbers, other filled cells, and where the first other cell is. */
    static final class Cells {
        long numbers;
        long others;
        int firstOtherLine;
        String firstOther;

        void number() {
            numbers++;
        }

        void other(int line, String text) {
            if (others++ == 0) {
                firstOtherLine = line;
                firstOther = text;
            }
        }
    }

    static Kind decide(String file, String column, Cells cells, ColumnSchema declared) {
        if (cells.others == 0) {
            return Kind.NUMERIC;
        }
        if (declared != null && declared.type() == ColumnType.NUMERIC) {
            return Kind.NUMERIC_WITH_MISSING; // declared and still reading: nonNumeric is missing (else it threw)
        }
        if (cells.numbers <= cells.others) {
            return Kind.CATEGORICAL;
        }
        if (declared != null && declared.nonNumeric() == NonNumeric.MISSING) {
            return Kind.NUMERIC_WITH_MISSING;
        }
        long filled = cells.numbers + cells.others;
        throw new InputException(file + ": line " + cells.firstOtherLine + ", column '" + column + "': "
                + CsvReader.quote(cells.firstOther) + " is not a number, while " + cells.numbers + " of the column's "
                + filled + " filled cells are" + (cells.others > 1 ? " (" + cells.others + " are not)" : "")
                + ". Fix the cell (leave it empty for a missing value), declare the column categorical"
                + " (data.schema." + column + ": {type: categorical}), or read such cells as missing"
                + " (data.schema." + column + ": {nonNumeric: missing})");
    }

    /** The warning for {@link Kind#NUMERIC_WITH_MISSING}. */
    static String missingWarning(String file, String column, Cells cells) {
        return file + ": column '" + column + "': " + cells.others + " cell" + (cells.others == 1 ? " is" : "s are")
                + " not a number (first: line " + cells.firstOtherLine + ", " + CsvReader.quote(cells.firstOther)
                + "); read as missing (data.schema." + column + ".nonNumeric: missing)";
    }
}
