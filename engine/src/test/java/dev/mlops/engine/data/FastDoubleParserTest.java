package dev.mlops.engine.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FastDoubleParserTest {
    private final FastDoubleParser parser = new FastDoubleParser();

    private double parse(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return parser.parse(b, 0, b.length);
    }

    private void assertSameAsJdk(String s) {
        double v = parse(s);
        assertThat(parser.status()).as(s).isEqualTo(FastDoubleParser.OK);
        // Bit-for-bit: also distinguishes -0.0 from 0.0.
        assertThat(Double.doubleToRawLongBits(v)).as(s).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
    }

    @Test
    void equalsParseDoubleOnManyRandomValues() {
        Random r = new Random(42);
        for (int i = 0; i < 200_000; i++) {
            // Shortest round-trip text of arbitrary doubles (17 significant digits, any exponent).
            assertSameAsJdk(Double.toString(Double.longBitsToDouble(r.nextLong() & 0x7fefffffffffffffL)));
            // Everyday data: fixed decimals at various scales.
            double g = r.nextGaussian() * Math.pow(10, r.nextInt(12) - 4);
            assertSameAsJdk(String.format(Locale.ROOT, "%." + r.nextInt(10) + "f", g));
            assertSameAsJdk(Double.toString(g));
            // Random digit strings with exponents, including long mantissas that need the fallback.
            StringBuilder sb = new StringBuilder();
            if (r.nextBoolean()) {
                sb.append('-');
            }
            int digits = 1 + r.nextInt(25);
            for (int k = 0; k < digits; k++) {
                sb.append((char) ('0' + r.nextInt(10)));
            }
            if (r.nextBoolean()) {
                sb.insert(sb.length() - r.nextInt(digits), '.');
            }
            if (r.nextInt(3) == 0) {
                sb.append(r.nextBoolean() ? 'e' : 'E').append(r.nextInt(80) - 40);
            }
            String s = sb.toString();
            if (s.startsWith(".") || s.startsWith("-.")) {
                s = s.replace(".", "0.");
            }
            assertSameAsJdk(s);
        }
    }

    @Test
    void eiselLemireAgreesWithTheJdkOrDeclines() {
        Random r = new Random(99);
        int declined = 0;
        int n = 300_000;
        for (int i = 0; i < n; i++) {
            // Up to 18 digits, the most the parser hands over; exponents across the whole normal range.
            long w = Math.floorMod(r.nextLong(), 1_000_000_000_000_000_000L);
            if (r.nextBoolean()) {
                w /= (long) Math.pow(10, r.nextInt(17));
            }
            int q = r.nextInt(600) - 300;
            double expected = Double.parseDouble(w + "e" + q);
            double got = EiselLemire.toDouble(false, w, q);
            boolean clingersDomain = w <= (1L << 53) && q >= -22 && q <= 22;
            if (Double.isNaN(got)) {
                // Exact products (small w, small q) end in zero bits and are declined; the parser sends those
                // to Clinger's path before this one, so only count the rest.
                declined += clingersDomain ? 0 : 1;
            } else {
                assertThat(Double.doubleToRawLongBits(got)).as(w + "e" + q)
                        .isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
        // It must actually do the work, not hand everything to the JDK (about 2 in 512 are expected to decline).
        assertThat(declined).isLessThan(n / 50);
    }

    @Test
    void exactHalfwayValuesRoundToEven() {
        // 2^53 + 1 lies exactly between two doubles; so do these multiples of it and of 2^54 + 2.
        for (String s : new String[] {"9007199254740993", "9007199254740995", "18014398509481986",
                "18014398509481990", "900719925474099.3e1", "90071992547409930e-1", "9007199254740993e5",
                "-9007199254740993"}) {
            assertSameAsJdk(s);
        }
    }

    @Test
    void edgeCasesMatchTheJdk() {
        for (String s : new String[] {"0", "-0", "+0", "0.0", "-0.0", "1", "+1", "1.", ".5", "-.5", "1e5", "1E+5",
                "1e-5", "9007199254740993", "9007199254740992", "123456789012345678901234567890",
                "0.000000000000000000000000000001", "4.9e-324", "2.2250738585072014E-308", "1.7976931348623157e308",
                "1e22", "1e23", "1e-22", "1e-23", "2.2250738585072011e-308", "4.9406564584124654e-324",
                "1.7976931348623158e308", "123456789012345678e-340", "1e308", "1e-307", "0.1", "0.2", "0.30000000000000004", "00012.5000", "1e-400"}) {
            assertSameAsJdk(s);
        }
    }

    @Test
    void trimsSpacesAndTabsAroundNumbers() {
        assertThat(parse("  3.25\t")).isEqualTo(3.25);
        assertThat(parser.status()).isEqualTo(FastDoubleParser.OK);
    }

    @Test
    void emptyAndBlankAreMissing() {
        parse("");
        assertThat(parser.status()).isEqualTo(FastDoubleParser.EMPTY);
        parse("   ");
        assertThat(parser.status()).isEqualTo(FastDoubleParser.EMPTY);
    }

    @Test
    void rejectsWhatIsNotAPlainDecimal() {
        // Double.parseDouble accepts several of these (1f, 1d, hex, "Infinity"); a data file should not.
        for (String s : new String[] {"abc", "1f", "1d", "0x1p3", "1e", "1e+", ".", "-", "+", "1.2.3", "1,5",
                "12a", "e5", "--1", "1 2"}) {
            parse(s);
            assertThat(parser.status()).as(s).isEqualTo(FastDoubleParser.NOT_A_NUMBER);
        }
    }

    @Test
    void nonFiniteLiteralsAndOverflowAreReportedAsNotFinite() {
        for (String s : new String[] {"NaN", "nan", "-NaN", "Infinity", "-Infinity", "+infinity", "inf", "-Inf",
                "INF", "1e999", "-1e400", "1.7976931348623159e308"}) {
            parse(s);
            assertThat(parser.status()).as(s).isEqualTo(FastDoubleParser.NOT_FINITE);
        }
    }
}
