package dev.mlops.engine.evaluate;

import dev.mlops.engine.tracking.MlflowNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class MetricCatalogTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', ignoreLeadingAndTrailingWhitespace = false, value = {"<=50K|le50K", ">50K|gt50K", "<=50K.|le50K.", ">=1|ge1", "a!=b|aneb",
            "x<y|xlty", "a=b|aeqb", "yes|yes", "class_0|class_0", "very good|very good", "a/b|a_b", "a:b|a_b",
            "a\\b|a_b", "école|école", "tab\t|tab_", "..|..", "50%|50_", "(a)|_a_"})
    void spellsClassesTheWayMetricNamesUseThem(String label, String expected) {
        assertThat(MetricCatalog.metricLabel(label)).isEqualTo(expected);
    }

    @Test
    void everyPerClassNameIsOneMlflowAcceptsAndValidNamesStayAsTheyAre() {
        Random rnd = new Random(7);
        String alphabet = "ab<>=!/\\:;.,_- \t\n%é²日\u0301()[]{}@#'\"";
        for (int i = 0; i < 5000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = 1 + rnd.nextInt(8); n > 0; n--) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String label = b.toString();
            for (String name : MetricCatalog.perClass(label)) {
                assertThat(MlflowNames.problem(name)).as("%s from class '%s'", name, label).isEmpty();
                assertThat(MetricCatalog.classOf(name)).contains(MetricCatalog.metricLabel(label));
            }
            String spelt = MetricCatalog.metricLabel(label);
            assertThat(MetricCatalog.metricLabel(spelt)).as("idempotent").isEqualTo(spelt);
        }
    }

    @Test
    void aMetricSpeltWithTheDataSClassIsPointedToItsName() {
        List<String> labels = List.of("<=50K", ">50K");
        assertThat(MetricCatalog.respelled("f1.<=50K", labels)).contains("f1.le50K");
        assertThat(MetricCatalog.respelled("recall.>50K", labels)).contains("recall.gt50K");
        assertThat(MetricCatalog.respelled("f1.le50K", labels)).isEmpty();
        assertThat(MetricCatalog.respelled("f1.yes", List.of("yes", "no"))).isEmpty();
        assertThat(MetricCatalog.isKnown("f1.very good")).isTrue();
    }

    @Test
    void onlyAClassTooLongForMlflowIsAProblem() {
        assertThat(MetricCatalog.labelProblem("<=50K")).isEmpty();
        assertThat(MetricCatalog.labelProblem("x".repeat(240))).isEmpty();
        assertThat(MetricCatalog.labelProblem("x".repeat(241))).get().asString().contains("250");
    }
}
