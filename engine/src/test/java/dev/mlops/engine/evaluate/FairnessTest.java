package dev.mlops.engine.evaluate;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FairnessTest {
    private static final double EPS = 1e-12;

    @Test
    void twoGroupsByHand() {
        // group A: actual 1 1 0 0 0, predicted 1 0 1 0 0 -> SR = 2/5 = 0.4, TPR = 1/2 = 0.5
        // group B: actual 1 1 1 0 0, predicted 1 1 1 1 0 -> SR = 4/5 = 0.8, TPR = 3/3 = 1.0
        String[] g = {"A", "A", "A", "A", "A", "B", "B", "B", "B", "B"};
        boolean[] y = {true, true, false, false, false, true, true, true, false, false};
        boolean[] p = {true, false, true, false, false, true, true, true, true, false};
        Fairness.Result r = Fairness.compute("sex", "yes", g, y, p);
        assertThat(r.metrics().get("demographic_parity_difference")).isCloseTo(0.4, within(EPS)); // 0.8 - 0.4
        assertThat(r.metrics().get("demographic_parity_ratio")).isCloseTo(0.5, within(EPS));      // 0.4 / 0.8
        assertThat(r.metrics().get("disparate_impact_ratio")).isCloseTo(0.5, within(EPS));        // same ratio
        assertThat(r.metrics().get("equal_opportunity_difference")).isCloseTo(0.5, within(EPS));  // 1.0 - 0.5
        FairnessReport.Group a = r.report().groups().get(0);
        assertThat(a.name()).isEqualTo("A");
        assertThat(a.rows()).isEqualTo(5);
        assertThat(a.positives()).isEqualTo(2);
        assertThat(a.predictedPositive()).isEqualTo(2);
        assertThat(a.truePositiveRate()).isCloseTo(0.5, within(EPS));
        assertThat(r.notes()).isEmpty();
    }

    @Test
    void groupWithoutPositivesMakesEqualOpportunityUndefinedAndSaysWhy() {
        // A: SR 0.4, TPR 0.5 (as above); C: actual 0 0, predicted 1 0 -> SR 0.5, TPR undefined.
        // With C's TPR unknown, max - min over the groups is unknown too: a 0 computed over A alone would pass any
        // "max" bound while saying nothing about C.
        String[] g = {"A", "A", "A", "A", "A", "C", "C"};
        boolean[] y = {true, true, false, false, false, false, false};
        boolean[] p = {true, false, true, false, false, true, false};
        Fairness.Result r = Fairness.compute("grp", "yes", g, y, p);
        assertThat(r.report().groups().get(1).truePositiveRate()).isNull();
        assertThat(r.metrics()).doesNotContainKey("equal_opportunity_difference");
        assertThat(r.metrics().get("demographic_parity_difference")).isCloseTo(0.1, within(EPS)); // 0.5 - 0.4
        assertThat(r.notes().get("equal_opportunity_difference"))
                .startsWith("undefined: group C has no positive ('yes') test rows");
    }

    @Test
    void oneGroupOnlyLeavesEveryGroupComparisonUndefined() {
        Fairness.Result r = Fairness.compute("g", "yes", new String[]{"A", "A", "A"}, new boolean[]{true, false, true},
                new boolean[]{true, false, false});
        assertThat(r.metrics()).doesNotContainKeys("demographic_parity_difference", "demographic_parity_ratio",
                "disparate_impact_ratio", "equal_opportunity_difference");
        assertThat(r.notes().get("demographic_parity_difference")).startsWith("undefined: ").contains("1 group");
        assertThat(r.notes().get("equal_opportunity_difference")).startsWith("undefined: ");
    }

    @Test
    void nobodySelectedLeavesRatiosOut() {
        Fairness.Result r = Fairness.compute("g", "yes", new String[]{"A", "B"}, new boolean[]{true, false},
                new boolean[]{false, false});
        assertThat(r.metrics()).doesNotContainKeys("demographic_parity_ratio", "disparate_impact_ratio");
        assertThat(r.metrics().get("demographic_parity_difference")).isZero();
        assertThat(r.notes().get("demographic_parity_ratio")).startsWith("undefined: ");
        assertThat(r.notes().get("disparate_impact_ratio")).startsWith("undefined: ");
    }
}
