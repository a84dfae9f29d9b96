package dev.mlops.serve;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

import java.nio.charset.StandardCharsets;

/**
 * The hot path's parser: {@code {"features":[n, n, ...]}} with plain JSON numbers, read straight from the request
 * bytes into a {@code double[]} without creating a Jackson parser. Anything else (other keys, strings, nulls,
 * wrong count, odd spacing, malformed JSON) returns -1 and the request goes through the Jackson path, which gives
 * the precise error message. Numbers with at most 15 significant digits and a decimal exponent within +-22 are
 * converted exactly with one IEEE multiply or divide (Clinger's fast path: both operands are exact doubles, so the
 * single rounding is the correct one); other numbers (such as the 17 digits of Python's {@code 0.15000000000000002})
 * go through fastdoubleparser's exact byte parser, six times faster here than {@link Double#parseDouble} on a String.
 */
final class FastRow {
    private static final double[] POW10 = new double[23];
    private static final byte[] KEY = "\"features\"".getBytes(StandardCharsets.US_ASCII);

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    private FastRow() {
    }

    /** Fills {@code out} and returns true only if the body is exactly one features row of {@code out.length} numbers. */
    static boolean parse(byte[] b, int len, double[] out) {
        int i = skip(b, 0, len);
        if (i >= len || b[i] != '{') {
            return false;
        }
        i = skip(b, i + 1, len);
        if (i + KEY.length > len) {
            return false;
        }
        for (int k = 0; k < KEY.length; k++) {
            if (b[i + k] != KEY[k]) {
                return false;
            }
        }
        i = skip(b, i + KEY.length, len);
        if (i >= len || b[i] != ':') {
            return false;
        }
        i = skip(b, i + 1, len);
        if (i >= len || b[i] != '[') {
            return false;
        }
        int n = 0;
        for (;;) {
            i = skip(b, i + 1, len);
            if (n == out.length) {
                break;
            }
            int end = number(b, i, len, out, n);
            if (end < 0) {
                return false;
            }
            n++;
            i = skip(b, end, len);
            if (i >= len || b[i] != (n == out.length ? ']' : ',')) {
                return false;
            }
        }
        // i is just past ']' (or past '[' for a zero-input model, which must then see ']').
        if (out.length == 0) {
            if (i >= len || b[i] != ']') {
                return false;
            }
            i = skip(b, i + 1, len);
        }
        if (i >= len || b[i] != '}') {
            return false;
        }
        return skip(b, i + 1, len) == len;
    }

    private static int skip(byte[] b, int i, int len) {
        while (i < len && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t')) {
            i++;
        }
        return i;
    }

    /** Parses one JSON number at {@code i} into {@code out[n]}; returns the index after it or -1 if not a number. */
    private static int number(byte[] b, int i, int len, double[] out, int n) {
        int start = i;
        boolean negative = false;
        if (i < len && b[i] == '-') {
            negative = true;
            i++;
        }
        if (i >= len || b[i] < '0' || b[i] > '9') {
            return -1;
        }
        if (b[i] == '0' && i + 1 < len && b[i + 1] >= '0' && b[i + 1] <= '9') {
            return -1; // leading zero is not JSON
        }
        long mantissa = 0;
        int digits = 0;
        int scale = 0;
        boolean leading = true;
        for (; i < len && b[i] >= '0' && b[i] <= '9'; i++) {
            if (leading && b[i] == '0') {
                continue;
            }
            leading = false;
            if (digits < 18) {
                mantissa = mantissa * 10 + (b[i] - '0');
            } else {
                scale++;
            }
            digits++;
        }
        if (i < len && b[i] == '.') {
            i++;
            int fracStart = i;
            for (; i < len && b[i] >= '0' && b[i] <= '9'; i++) {
                if (leading && b[i] == '0') {
                    scale--;
                    continue;
                }
                leading = false;
                if (digits < 18) {
                    mantissa = mantissa * 10 + (b[i] - '0');
                    scale--;
                }
                digits++;
            }
            if (i == fracStart) {
                return -1;
            }
        }
        int exp = 0;
        if (i < len && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            boolean expNegative = false;
            if (i < len && (b[i] == '+' || b[i] == '-')) {
                expNegative = b[i] == '-';
                i++;
            }
            int expStart = i;
            for (; i < len && b[i] >= '0' && b[i] <= '9'; i++) {
                if (exp < 100_000) {
                    exp = exp * 10 + (b[i] - '0');
                }
            }
            if (i == expStart) {
                return -1;
            }
            exp = expNegative ? -exp : exp;
        }
        int e = scale + exp;
        if (digits <= 15 && e >= -22 && e <= 22) {
            double v = e >= 0 ? mantissa * POW10[e] : mantissa / POW10[-e];
            out[n] = negative ? -v : v;
        } else {
            // Exact from the bytes (Eisel-Lemire); the text includes the sign and is a valid JSON number here.
            out[n] = JavaDoubleParser.parseDouble(b, start, i - start);
        }
        return i;
    }
}
