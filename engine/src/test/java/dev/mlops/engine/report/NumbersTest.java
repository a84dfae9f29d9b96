package dev.mlops.engine.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NumbersTest {
    @Test
    void tableFormatKeepsSixSignificantDigits() {
        assertThat(Numbers.format(0.855)).isEqualTo("0.855");
        assertThat(Numbers.format(0.8549)).isEqualTo("0.8549");
        assertThat(Numbers.format(0.93124567)).isEqualTo("0.931246");
        assertThat(Numbers.format(0.1 + 0.2)).isEqualTo("0.3");
        assertThat(Numbers.format(12.345678)).isEqualTo("12.3457");
    }

    @Test
    void integralValuesStayExact() {
        assertThat(Numbers.format(1234567.0)).isEqualTo("1234567");
        assertThat(Numbers.format(50.0)).isEqualTo("50");
        assertThat(Numbers.format(-0.0)).isEqualTo("0");
    }

    @Test
    void extremesUseScientificNotation() {
        assertThat(Numbers.format(1.5e-7)).isEqualTo("1.5E-7");
        assertThat(Numbers.format(2.5e20)).isEqualTo("2.5E+20");
    }

    @Test
    void nonFinite() {
        assertThat(Numbers.format(Double.NaN)).isEqualTo("NaN");
        assertThat(Numbers.format(Double.NEGATIVE_INFINITY)).isEqualTo("-Infinity");
    }

    @Test
    void signedPercentAndPrecise() {
        assertThat(Numbers.signed(0.01)).isEqualTo("+0.01");
        assertThat(Numbers.signed(-0.0451)).isEqualTo("-0.0451");
        assertThat(Numbers.signed(0.0)).isEqualTo("0");
        assertThat(Numbers.percent((0.8549 - 0.9) / 0.9)).isEqualTo("-5.01111%");
        assertThat(Numbers.precise(0.855 - 0.9)).isEqualTo("-0.045");
        assertThat(Numbers.precise(0.93124567)).isEqualTo("0.93124567");
    }
}
