package dev.mlops.engine.data;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class DecimalTest {
    private final Decimal parser = new Decimal();

    private double parse(String s) {
        return parser.parse(s);
    }

    private void assertSameAsJdk(String s) {
        double v = parse(s);
        assertThat(parser.status()).as(s).isEqualTo(Decimal.OK);
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
        assertThat(parser.status()).isEqualTo(Decimal.OK);
    }

    @Test
    void emptyAndBlankAreMissing() {
        parse("");
        assertThat(parser.status()).isEqualTo(Decimal.EMPTY);
        parse("   ");
        assertThat(parser.status()).isEqualTo(Decimal.EMPTY);
    }

    @Test
    void rejectsWhatIsNotAPlainDecimal() {
        // Double.parseDouble accepts several of these (1f, 1d, hex, "Infinity"); a data file should not.
        for (String s : new String[] {"abc", "1f", "1d", "0x1p3", "1e", "1e+", ".", "-", "+", "1.2.3", "1,5",
                "12a", "e5", "--1", "1 2"}) {
            parse(s);
            assertThat(parser.status()).as(s).isEqualTo(Decimal.NOT_A_NUMBER);
        }
    }

    @Test
    void nonFiniteLiteralsAndOverflowAreReportedAsNotFinite() {
        for (String s : new String[] {"NaN", "nan", "-NaN", "Infinity", "-Infinity", "+infinity", "inf", "-Inf",
                "INF", "1e999", "-1e400", "1.7976931348623159e308"}) {
            parse(s);
            assertThat(parser.status()).as(s).isEqualTo(Decimal.NOT_FINITE);
        }
    }
}
