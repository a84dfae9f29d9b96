package dev.mlops.engine.data;

import java.math.BigInteger;

/**
 * Decimal-to-double conversion after Eisel and Lemire ("Number Parsing at a Gigabyte per Second", 2021): multiply
 * the normalised decimal mantissa by a 128-bit approximation of 5^q and read the rounded binary mantissa off the top
 * bits. This is a simplified, more conservative variant: only the high 64 bits of the power are used, and whenever
 * the error of that (less than one unit of the product's upper word) could change the rounding, it gives up and
 * returns NaN so the caller falls back to {@link Double#parseDouble}. That happens for about 2 inputs in 512 and for
 * subnormal or overflowing results.
 */
final class EiselLemire {
    private static final int MIN_Q = -342;
    private static final int MAX_Q = 308;

    private EiselLemire() {
    }

    /** Built on first use only, so reading a CSV of short decimals (Clinger's path) never pays for it. */
    private static final class Powers {
        /** High 64 bits of T(q), with 5^q ~= T(q) * 2^SHIFT(q) and 2^127 <= T(q) < 2^128. */
        static final long[] HIGH = new long[MAX_Q - MIN_Q + 1];
        static final int[] SHIFT = new int[MAX_Q - MIN_Q + 1];

        static {
            for (int q = MIN_Q; q <= MAX_Q; q++) {
                BigInteger t;
                int shift;
                if (q >= 0) {
                    BigInteger p = BigInteger.valueOf(5).pow(q);
                    int excess = p.bitLength() - 128;
                    t = excess >= 0 ? p.shiftRight(excess) : p.shiftLeft(-excess);
                    shift = excess;
                } else {
                    BigInteger p = BigInteger.valueOf(5).pow(-q);
                    int b = 127 + p.bitLength();
                    t = BigInteger.ONE.shiftLeft(b).divide(p);
                    shift = -b;
                }
                HIGH[q - MIN_Q] = t.shiftRight(64).longValue();
                SHIFT[q - MIN_Q] = shift;
            }
        }
    }

    /** {@code (negative ? -1 : 1) * w * 10^q} correctly rounded, or NaN when this method cannot be sure. */
    static double toDouble(boolean negative, long w, int q) {
        if (w == 0) {
            return negative ? -0.0 : 0.0;
        }
        if (w < 0 || q < MIN_Q || q > MAX_Q) {
            return Double.NaN;
        }
        int lz = Long.numberOfLeadingZeros(w);
        long x = w << lz;
        long t = Powers.HIGH[q - MIN_Q];
        // Unsigned high word of x * t (Java 17 has only the signed multiplyHigh).
        long upper = Math.multiplyHigh(x, t) + ((x >> 63) & t) + ((t >> 63) & x);
        long low9 = upper & 0x1FF;
        if (low9 == 0x1FF || low9 == 0) {
            // The true product may carry into the mantissa, borrow from it, or sit exactly halfway.
            return Double.NaN;
        }
        int upperBit = (int) (upper >>> 63);
        long mantissa = upper >>> (upperBit + 9); // 54 bits: 53 of the result plus the rounding bit
        // Bits below the rounding bit are not all zero (low9 != 0), so there is no tie: round half up.
        mantissa = (mantissa + 1) >>> 1;
        // value ~= upper * 2^(128 + SHIFT + q - lz); the leading bit of upper is bit 62 + upperBit.
        long exponent = 1213L + upperBit + Powers.SHIFT[q - MIN_Q] + q - lz;
        if (mantissa >= (1L << 53)) {
            mantissa >>>= 1;
            exponent++;
        }
        if (exponent <= 0 || exponent >= 2047) {
            return Double.NaN;
        }
        long bits = (mantissa & ((1L << 52) - 1)) | (exponent << 52) | (negative ? 1L << 63 : 0);
        return Double.longBitsToDouble(bits);
    }
}
