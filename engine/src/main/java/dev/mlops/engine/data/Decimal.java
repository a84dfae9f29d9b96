package dev.mlops.engine.data;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

/**
 * Reads a data file's decimal number. The grammar is the data file's (after trimming spaces and tabs):
 * {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}, i.e. Java's decimal literal without its
 * extras ({@code 1f}, {@code 1d}, hex, {@code Infinity}, which are not numbers here), and {@code nan}, {@code inf}, {@code infinity} (any case) and overflow
 * are reported as not finite. The conversion itself is {@code ch.randelshofer:fastdoubleparser}'s, which equals
 * {@link Double#parseDouble} bit for bit (the library Jackson shades; measured faster than the parser this class
 * replaced, see docs/architecture.md).
 *
 * <p>Not thread-safe: {@link #status()} describes the last call.
 */
final class Decimal {
    static final int OK = 0;
    static final int EMPTY = 1;
    static final int NOT_A_NUMBER = 2;
    static final int NOT_FINITE = 3;

    private int status;

    int status() {
        return status;
    }

    double parse(String s) {
        return parse(s.toCharArray(), 0, s.length());
    }

    /** Parses {@code b[start, end)}; check {@link #status()} before using the value. */
    double parse(char[] b, int start, int end) {
        if (start == end) {
            status = EMPTY;
            return Double.NaN;
        }
        // The library parses Java's grammar, a superset of ours. What it accepts beyond ours (surrounding
        // whitespace, NaN, Infinity, a d or f suffix, hexadecimal) starts or ends with something other than a digit,
        // sign or point, or has an x after the leading zero; such cells take the careful path.
        char first = b[start];
        char last = b[end - 1];
        boolean plainEnds = (first >= '0' && first <= '9' || first == '-' || first == '+' || first == '.')
                && (last >= '0' && last <= '9' || last == '.');
        if (!plainEnds || isHex(b, start, end)) {
            return careful(b, start, end);
        }
        double v;
        try {
            v = JavaDoubleParser.parseDouble(b, start, end - start);
        } catch (NumberFormatException e) {
            return careful(b, start, end);
        }
        if (Double.isInfinite(v)) {
            status = NOT_FINITE;
            return Double.NaN;
        }
        status = OK;
        return v;
    }

    private static boolean isHex(char[] b, int start, int end) {
        int i = b[start] == '-' || b[start] == '+' ? start + 1 : start;
        return i + 1 < end && (b[i + 1] == 'x' || b[i + 1] == 'X');
    }

    /** Characters of our grammar. */
    private static final boolean[] PLAIN = new boolean['e' + 1];

    static {
        for (char c : "0123456789.+-eE".toCharArray()) {
            PLAIN[c] = true;
        }
    }

    /**
     * Cells the fast path did not take: spaces or tabs around a number, the non-finite words, or not a number. A
     * trimmed cell of our characters only is parsed again; everything else is decided here.
     */
    private double careful(char[] b, int start, int end) {
        int s = start;
        int e = end;
        while (s < e && (b[s] == ' ' || b[s] == '\t')) {
            s++;
        }
        while (e > s && (b[e - 1] == ' ' || b[e - 1] == '\t')) {
            e--;
        }
        if (s == e) {
            status = EMPTY;
            return Double.NaN;
        }
        for (int i = s; i < e; i++) {
            if (b[i] > 'e' || !PLAIN[b[i]]) {
                return notANumber(b, s, e);
            }
        }
        if (s == start && e == end) {
            // our characters only and still refused (1e, 1.2.3, +-1): not a number
            status = NOT_A_NUMBER;
            return Double.NaN;
        }
        return parse(b, s, e);
    }

    private double notANumber(char[] b, int s, int e) {
        status = isNonFiniteLiteral(b, b[s] == '+' || b[s] == '-' ? s + 1 : s, e) ? NOT_FINITE : NOT_A_NUMBER;
        return Double.NaN;
    }

    /** nan, inf, infinity in any case; {@code i} is just past an optional sign. */
    private static boolean isNonFiniteLiteral(char[] b, int i, int e) {
        int n = e - i;
        return (n == 3 && lowerEquals(b, i, "nan")) || (n == 3 && lowerEquals(b, i, "inf"))
                || (n == 8 && lowerEquals(b, i, "infinity"));
    }

    private static boolean lowerEquals(char[] b, int i, String word) {
        for (int k = 0; k < word.length(); k++) {
            if ((b[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
