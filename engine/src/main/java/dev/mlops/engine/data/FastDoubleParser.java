package dev.mlops.engine.data;

import java.nio.charset.StandardCharsets;

/**
 * Parses a decimal number straight from bytes. Accepted grammar (after trimming spaces and tabs):
 * {@code [+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?}. Results equal {@link Double#parseDouble}
 * exactly: the first fast path is Clinger's (a mantissa below 2^53 times or divided by an exactly representable power
 * of ten is one correctly rounded operation), the second {@link EiselLemire} (full-precision values such as
 * {@code Double.toString} output); what neither can decide goes to {@code Double.parseDouble}.
 *
 * <p>Not thread-safe: {@link #status()} describes the last call.
 */
final class FastDoubleParser {
    static final int OK = 0;
    static final int EMPTY = 1;
    static final int NOT_A_NUMBER = 2;
    static final int NOT_FINITE = 3;

    private static final double[] POW10 = new double[23];
    private static final long MAX_EXACT = 1L << 53;

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private int status;

    int status() {
        return status;
    }

    /** Parses {@code b[start, end)}; check {@link #status()} before using the value. */
    double parse(byte[] b, int start, int end) {
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
        int i = s;
        boolean negative = false;
        if (b[i] == '+' || b[i] == '-') {
            negative = b[i] == '-';
            i++;
        }
        // Up to 18 significant digits always fit in a long; further digits only move the exponent.
        long mantissa = 0;
        int digits = 0;
        int exp10 = 0;
        boolean anyDigit = false;
        boolean truncated = false;
        while (i < e) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            anyDigit = true;
            if (digits < 18) {
                if (mantissa != 0 || d != 0) {
                    mantissa = mantissa * 10 + d;
                    digits++;
                }
            } else {
                exp10++;
                truncated |= d != 0;
            }
            i++;
        }
        if (i < e && b[i] == '.') {
            i++;
            while (i < e) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                anyDigit = true;
                if (digits < 18) {
                    if (mantissa != 0 || d != 0) {
                        mantissa = mantissa * 10 + d;
                        digits++;
                    }
                    exp10--;
                } else {
                    truncated |= d != 0;
                }
                i++;
            }
        }
        if (!anyDigit) {
            status = isNonFiniteLiteral(b, i, e) ? NOT_FINITE : NOT_A_NUMBER;
            return Double.NaN;
        }
        if (i < e && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < e && (b[i] == '+' || b[i] == '-')) {
                expNegative = b[i] == '-';
                i++;
            }
            if (i == e) {
                status = NOT_A_NUMBER;
                return Double.NaN;
            }
            int exp = 0;
            while (i < e) {
                int d = b[i] - '0';
                if (d < 0 || d > 9) {
                    break;
                }
                if (exp < 100_000) {
                    exp = exp * 10 + d;
                }
                i++;
            }
            exp10 += expNegative ? -exp : exp;
        }
        if (i != e) {
            status = NOT_A_NUMBER;
            return Double.NaN;
        }
        double v;
        if (!truncated && mantissa <= MAX_EXACT && exp10 >= -22 && exp10 <= 22) {
            v = exp10 < 0 ? mantissa / POW10[-exp10] : mantissa * POW10[exp10];
            if (negative) {
                v = -v;
            }
        } else {
            v = truncated ? Double.NaN : EiselLemire.toDouble(negative, mantissa, exp10);
            if (Double.isNaN(v)) {
                v = Double.parseDouble(new String(b, s, e - s, StandardCharsets.ISO_8859_1));
            }
        }
        if (Double.isInfinite(v)) {
            status = NOT_FINITE;
            return Double.NaN;
        }
        status = OK;
        return v;
    }

    /** nan, inf, infinity in any case; {@code i} is just past an optional sign. */
    private static boolean isNonFiniteLiteral(byte[] b, int i, int e) {
        int n = e - i;
        return (n == 3 && lowerEquals(b, i, "nan")) || (n == 3 && lowerEquals(b, i, "inf"))
                || (n == 8 && lowerEquals(b, i, "infinity"));
    }

    private static boolean lowerEquals(byte[] b, int i, String word) {
        for (int k = 0; k < word.length(); k++) {
            if ((b[i + k] | 0x20) != word.charAt(k)) {
                return false;
            }
        }
        return true;
    }
}
