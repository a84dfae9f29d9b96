package dev.mlops.engine.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Number formatting for people (tables, messages). Machine-readable output (JSON) keeps full precision instead.
 * Plain notation between 1e-6 and 1e15, scientific outside; trailing zeros dropped; integral values exact and
 * without ".0".
 */
public final class Numbers {
    private static final MathContext TABLE = new MathContext(6, RoundingMode.HALF_EVEN);
    private static final MathContext PRECISE = new MathContext(10, RoundingMode.HALF_EVEN);

    private Numbers() {
    }

    /** Six significant digits: enough to tell 0.855 from 0.8549, short enough for a table cell. */
    public static String format(double x) {
        return format(x, TABLE);
    }

    /** Ten significant digits, for sentences that explain why a value sits on the wrong side of a bound. */
    public static String precise(double x) {
        return format(x, PRECISE);
    }

    /** Like {@link #format(double)} with a leading "+" on positive values (deltas). */
    public static String signed(double x) {
        String s = format(x);
        return x > 0 && !s.equals("0") ? "+" + s : s;
    }

    /** A fraction as a percentage: 0.0501 becomes "5.01%". */
    public static String percent(double fraction) {
        return format(fraction * 100.0) + "%";
    }

    private static String format(double x, MathContext mc) {
        if (Double.isNaN(x)) {
            return "NaN";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "Infinity" : "-Infinity";
        }
        if (x == 0.0) {
            return "0"; // also folds -0.0, which would only confuse a reader
        }
        if (x == Math.rint(x) && Math.abs(x) < 1e15) {
            return Long.toString((long) x); // counts such as bytes stay exact: 1234567, not 1234570
        }
        BigDecimal d = new BigDecimal(x).round(mc).stripTrailingZeros();
        if (d.signum() == 0) {
            return "0";
        }
        double abs = Math.abs(x);
        if (abs >= 1e-6 && abs < 1e15) {
            return d.toPlainString();
        }
        return d.toString();
    }
}
