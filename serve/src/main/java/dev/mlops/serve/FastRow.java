package dev.mlops.serve;

import ch.randelshofer.fastdoubleparser.JavaDoubleParser;

import java.nio.charset.StandardCharsets;

/**
 * The hot path's parser: {@code {"features":[n, n, ...]}} with plain JSON numbers, read straight from the request
 * bytes into a {@code double[]} without creating a Jackson parser. Anything else (other keys, strings, nulls,
 * wrong count, odd spacing, malformed JSON) returns -1 and the request goes through the Jackson path, which gives
 * the precise error message. The JSON number grammar is checked here; the conversion of each number is
 * {@code ch.randelshofer:fastdoubleparser}'s (the library Jackson shades; it equals {@link Double#parseDouble} bit for
 * bit, and a hand-written conversion was not 1.3x faster, see docs/architecture.md).
 */
final class FastRow {
    private static final byte[] KEY = "\"features\"".getBytes(StandardCharsets.US_ASCII);

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
        if (i < len && b[i] == '-') {
            i++;
        }
        if (i >= len || b[i] < '0' || b[i] > '9') {
            return -1;
        }
        if (b[i] == '0' && i + 1 < len && b[i + 1] >= '0' && b[i + 1] <= '9') {
            return -1; // leading zero is not JSON
        }
        while (i < len && b[i] >= '0' && b[i] <= '9') {
            i++;
        }
        if (i < len && b[i] == '.') {
            int fracStart = ++i;
            while (i < len && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == fracStart) {
                return -1;
            }
        }
        if (i < len && (b[i] == 'e' || b[i] == 'E')) {
            i++;
            if (i < len && (b[i] == '+' || b[i] == '-')) {
                i++;
            }
            int expStart = i;
            while (i < len && b[i] >= '0' && b[i] <= '9') {
                i++;
            }
            if (i == expStart) {
                return -1;
            }
        }
        out[n] = JavaDoubleParser.parseDouble(b, start, i - start);
        return i;
    }
}
