package dev.mlops.engine.gate;

import dev.mlops.engine.spec.GatePolicy;
import dev.mlops.engine.spec.MetricRule;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyValidationTest {

    static MetricRule rule(Double min, Double max, Boolean inclusive, Double maxRegAbs, Double maxRegRel,
                           Double minImpAbs, Double minImpRel) {
        return new MetricRule(min, max, inclusive, null, maxRegAbs, maxRegRel, minImpAbs, minImpRel);
    }

    static List<String> problems(String metric, MetricRule r) {
        Map<String, MetricRule> m = new LinkedHashMap<>();
        m.put(metric, r);
        return Gate.validatePolicy(new GatePolicy(null, null, m));
    }

    @Test
    void aSensiblePolicyHasNoProblems() {
        Map<String, MetricRule> m = new LinkedHashMap<>();
        m.put("accuracy", rule(0.9, null, null, null, null, null, null));
        m.put("f1_macro", rule(null, null, null, null, 0.05, null, null));
        m.put("latency_p95_ms", rule(null, 50.0, null, 2.0, null, null, null));
        m.put("f1.malignant", rule(0.8, 1.0, null, null, null, null, null));
        m.put("disparate_impact_ratio", rule(0.8, null, null, null, null, null, null));
        m.put("log_loss", rule(null, null, null, null, null, 0.0, 0.0));
        assertThat(Gate.validatePolicy(new GatePolicy(null, null, m))).isEmpty();
        assertThat(Gate.validatePolicy(GatePolicy.defaults())).isEmpty();
    }

    @Test
    void unknownMetricNamesTheKeySuggestsTheClosestAndListsKnownNames() {
        List<String> p = problems("f1_macr", rule(0.9, null, null, null, null, null, null));
        assertThat(p).hasSize(1);
        assertThat(p.get(0)).startsWith("gate.metrics.f1_macr: unknown metric 'f1_macr' (did you mean 'f1_macro'?)")
                .contains("known metrics: accuracy, ").contains("roc_auc").contains("f1.<class>");
    }

    @Test
    void suggestionsCoverCaseAndPerClassNames() {
        assertThat(problems("Accuracy", rule(0.9, null, null, null, null, null, null)).get(0))
                .contains("did you mean 'accuracy'?");
        assertThat(problems("recal.yes", rule(0.9, null, null, null, null, null, null)).get(0))
                .contains("did you mean 'recall.yes'?");
        assertThat(problems("latency_p95", rule(null, 9.0, null, null, null, null, null)).get(0))
                .contains("did you mean 'latency_p95_ms'?");
    }

    @Test
    void farFetchedNamesGetNoSuggestion() {
        assertThat(problems("throughput_rows_per_second", rule(1.0, null, null, null, null, null, null)).get(0))
                .contains("unknown metric").doesNotContain("did you mean");
    }

    @Test
    void minAboveMax() {
        assertThat(problems("accuracy", rule(0.9, 0.8, null, null, null, null, null)))
                .containsExactly("gate.metrics.accuracy: min 0.9 is greater than max 0.8");
    }

    @Test
    void equalExclusiveBoundsAdmitNothing() {
        assertThat(problems("accuracy", rule(0.9, 0.9, false, null, null, null, null)))
                .singleElement().asString().contains("no value can pass");
        assertThat(problems("accuracy", rule(0.9, 0.9, true, null, null, null, null))).isEmpty();
    }

    @Test
    void negativeTolerancesNameTheirKey() {
        assertThat(problems("f1_macro", rule(null, null, null, -0.01, -0.05, -0.1, -0.2))).containsExactly(
                "gate.metrics.f1_macro.maxRegressionAbs: maxRegressionAbs -0.01 is negative; give the tolerated "
                        + "regression as a positive size",
                "gate.metrics.f1_macro.maxRegressionRel: maxRegressionRel -0.05 is negative; give the tolerated "
                        + "regression as a positive fraction (0.05 = 5%)",
                "gate.metrics.f1_macro.minImprovementAbs: minImprovementAbs -0.1 is negative; to tolerate a "
                        + "regression use maxRegressionAbs instead",
                "gate.metrics.f1_macro.minImprovementRel: minImprovementRel -0.2 is negative; to tolerate a "
                        + "regression use maxRegressionRel instead");
    }

    @Test
    void nonFiniteBounds() {
        assertThat(problems("accuracy", rule(Double.NaN, null, null, null, null, null, null)))
                .containsExactly("gate.metrics.accuracy.min: must be a finite number, got NaN");
    }

    @Test
    void aRuleWithoutBounds() {
        assertThat(problems("accuracy", rule(null, null, null, null, null, null, null)))
                .singleElement().asString().startsWith("gate.metrics.accuracy: no bound set");
        assertThat(problems("accuracy", null)).singleElement().asString().contains("no bound set");
    }

    @Test
    void blankAlias() {
        assertThat(Gate.validatePolicy(new GatePolicy(null, " ", null)))
                .containsExactly("gate.baselineAlias: must not be empty");
    }

    @Test
    void pathSegmentsKeepDottedMetricNamesWhole() {
        Map<String, MetricRule> m = Map.of("f1.yes", rule(null, null, null, null, -0.1, null, null));
        List<PolicyProblem> p = Gate.policyProblems(new GatePolicy(null, null, m));
        assertThat(p).singleElement().extracting(PolicyProblem::path)
                .isEqualTo(List.of("gate", "metrics", "f1.yes", "maxRegressionRel"));
    }

    @Test
    void everyProblemIsReportedNotJustTheFirst() {
        Map<String, MetricRule> m = new LinkedHashMap<>();
        m.put("acuracy", rule(0.9, 0.8, null, null, null, null, null));
        m.put("f1_macro", rule(null, null, null, null, -0.05, null, null));
        assertThat(Gate.validatePolicy(new GatePolicy(null, null, m))).hasSize(3);
    }

    @Test
    void levenshtein() {
        assertThat(PolicyValidator.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(PolicyValidator.distance("", "abc")).isEqualTo(3);
        assertThat(PolicyValidator.distance("f1_macr", "f1_macro")).isEqualTo(1);
    }

    @Test
    void perClassNamesAreCheckedAgainstTheClassesOfTheData() {
        Map<String, MetricRule> m = new LinkedHashMap<>();
        m.put("f1.class_0", rule(0.5, null, null, null, null, null, null));
        m.put("f1.class_9", rule(0.95, null, null, null, null, null, null));
        m.put("roc_auc", rule(0.8, null, null, null, null, null, null));
        List<PolicyProblem> p = Gate.policyProblems(new GatePolicy(null, null, m), List.of("class_0", "class_1", "class_2"));
        assertThat(p).extracting(PolicyProblem::path)
                .containsExactly(List.of("gate", "metrics", "f1.class_9"), List.of("gate", "metrics", "roc_auc"));
        assertThat(p.get(0).message()).contains("no class 'class_9'").contains("[class_0, class_1, class_2]")
                .contains("f1.class_0, f1.class_1, f1.class_2");
        assertThat(p.get(1).message()).contains("binary").contains("3 classes");
        assertThat(Gate.policyProblems(new GatePolicy(null, null, Map.of("f1.class_0",
                rule(0.5, null, null, null, null, null, null))), List.of("class_0", "class_1"))).isEmpty();
    }
}
