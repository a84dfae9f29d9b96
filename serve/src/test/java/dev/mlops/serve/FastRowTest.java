package dev.mlops.serve;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The hand-written row parser must give bit-for-bit what Double.parseDouble gives, or step aside. */
class FastRowTest {

    private static boolean parse(String body, double[] out) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return FastRow.parse(b, b.length, out);
    }

    @Test
    void agreesWithParseDoubleOnRandomNumbersInManySpellings() {
        Random rnd = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            double d = switch (i % 4) {
                case 0 -> rnd.nextGaussian();
                case 1 -> (rnd.nextDouble() - 0.5) * Math.pow(10, rnd.nextInt(40) - 20);
                case 2 -> Double.longBitsToDouble(rnd.nextLong());
                default -> rnd.nextInt(100_000) / 100.0;
            };
            if (!Double.isFinite(d)) {
                continue;
            }
            String[] spellings = {Double.toString(d), String.format(Locale.ROOT, "%.6f", d),
                    String.format(Locale.ROOT, "%.3e", d), String.format(Locale.ROOT, "%.17g", d).trim()};
            for (String s : spellings) {
                String json = s.replace("+", "").replaceAll("e(-?)0+(\\d)", "e$1$2");
                if (!json.matches("-?(0|[1-9]\\d*)(\\.\\d+)?([eE][+-]?\\d+)?")) {
                    continue;
                }
                double[] out = new double[2];
                assertThat(parse("{\"features\":[" + json + ", 1]}", out)).as(json).isTrue();
                assertThat(Double.doubleToRawLongBits(out[0])).as(json)
                        .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(json)));
            }
        }
    }

    @Test
    void handlesEdgeNumbers() {
        String[] numbers = {"0", "-0", "0.0", "1e22", "1e23", "123456789012345678901234", "0.000000000000000000001",
                "4.9e-324", "1.7976931348623157e308", "1e400", "9007199254740993", "0.1", "-2.5E+3", "100000000000000000000e-5"};
        for (String n : numbers) {
            double[] out = new double[1];
            assertThat(parse("{\"features\":[" + n + "]}", out)).as(n).isTrue();
            assertThat(Double.doubleToRawLongBits(out[0])).as(n).isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(n)));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"features\":[1,2]}", "{\"features\":[1,2,3,4]}", "{\"features\":[1,\"2\",3]}", "{\"features\":[1,null,3]}",
            "{\"features\":[01,2,3]}", "{\"features\":[1.,2,3]}", "{\"features\":[.5,2,3]}", "{\"features\":[+1,2,3]}",
            "{\"features\":[1e,2,3]}", "{\"features\":[1,2,3,]}", "{\"features\":[1,2,3]", "{\"features\":[1,2,3]} x",
            "{\"features\":[1,2,3],\"x\":1}", "{\"instances\":[[1,2,3]]}", "[1,2,3]", "", "{\"features\":[NaN,2,3]}",
            "{\"features\":[1 2 3]}", "{\"feature\":[1,2,3]}"})
    void stepsAsideForAnythingElse(String body) {
        assertThat(parse(body, new double[3])).isFalse();
    }

    @Test
    void acceptsWhitespaceAroundTokens() {
        double[] out = new double[3];
        assertThat(parse(" {\n \"features\" : [ 1 ,\t-2.5 , 3e1 ] }\r\n", out)).isTrue();
        assertThat(out).containsExactly(1, -2.5, 30);
    }
}
