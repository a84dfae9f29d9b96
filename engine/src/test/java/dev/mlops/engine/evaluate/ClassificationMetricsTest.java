package dev.mlops.engine.evaluate;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ClassificationMetricsTest {
    private static final double EPS = 1e-12;

    // Ten binary rows, labels [neg, pos], positive = pos (index 1); predicted = pos iff score >= 0.5.
    //   row:    1    2    3    4    5    6    7    8    9   10
    //   actual: pos  pos  pos  pos  neg  neg  neg  neg  neg  neg
    //   score:  .9   .8   .6   .4   .6   .3   .2   .4   .1   .3
    //   pred:   pos  pos  pos  neg  pos  neg  neg  neg  neg  neg
    // TP = 3 (rows 1-3), FN = 1 (row 4), FP = 1 (row 5), TN = 5.
    private static final int[] ACTUAL = {1, 1, 1, 1, 0, 0, 0, 0, 0, 0};
    private static final double[] SCORE = {.9, .8, .6, .4, .6, .3, .2, .4, .1, .3};
    private static final int[] PREDICTED = {1, 1, 1, 0, 1, 0, 0, 0, 0, 0};

    @Test
    void binaryPrecisionRecallF1ByHand() {
        long[][] m = ClassificationMetrics.confusion(2, ACTUAL, PREDICTED);
        assertThat(m).isEqualTo(new long[][]{{5, 1}, {1, 3}});
        Map<String, Double> r = ClassificationMetrics.fromConfusion(List.of("neg", "pos"), m);
        assertThat(r.get("accuracy")).isCloseTo(0.8, within(EPS));                  // 8 / 10
        assertThat(r.get("precision.pos")).isCloseTo(0.75, within(EPS));           // 3 / (3 + 1)
        assertThat(r.get("recall.pos")).isCloseTo(0.75, within(EPS));              // 3 / (3 + 1)
        assertThat(r.get("f1.pos")).isCloseTo(0.75, within(EPS));
        assertThat(r.get("precision.neg")).isCloseTo(5.0 / 6, within(EPS));        // 5 / (5 + 1)
        assertThat(r.get("recall.neg")).isCloseTo(5.0 / 6, within(EPS));
        assertThat(r.get("precision_macro")).isCloseTo((0.75 + 5.0 / 6) / 2, within(EPS));
        // weighted by support (4 pos, 6 neg): (0.75*4 + 5/6*6) / 10 = (3 + 5) / 10
        assertThat(r.get("precision_weighted")).isCloseTo(0.8, within(EPS));
        assertThat(r.get("f1_weighted")).isCloseTo(0.8, within(EPS));
    }

    @Test
    void rocAucAveragesTies() {
        // Pairs (pos, neg) = 4 * 6 = 24. pos .9 and .8 beat all 6 negatives: 12.
        // pos .6 beats .3 .2 .4 .1 .3 (5) and ties .6 (0.5): 5.5. pos .4 beats .3 .2 .1 .3 (4), ties .4: 4.5.
        // AUC = (12 + 5.5 + 4.5) / 24 = 22 / 24.
        boolean[] pos = new boolean[10];
        for (int i = 0; i < 10; i++) {
            pos[i] = ACTUAL[i] == 1;
        }
        assertThat(ClassificationMetrics.rocAuc(pos, SCORE)).isCloseTo(22.0 / 24, within(EPS));
    }

    @Test
    void rocAucIsUndefinedWithOneClassAndOneForPerfectRanking() {
        assertThat(ClassificationMetrics.rocAuc(new boolean[]{true, true}, new double[]{.1, .2})).isNaN();
        assertThat(ClassificationMetrics.rocAuc(new boolean[]{false, true, false, true},
                new double[]{.1, .7, .2, .9})).isEqualTo(1.0);
    }

    @Test
    void logLossByHand() {
        double[][] probs = new double[10][];
        for (int i = 0; i < 10; i++) {
            probs[i] = new double[]{1 - SCORE[i], SCORE[i]};
        }
        // probability of the true class: pos rows .9 .8 .6 .4; neg rows 1-score = .4 .7 .8 .6 .9 .7
        double expected = -(Math.log(.9) + Math.log(.8) + Math.log(.6) + Math.log(.4)
                + Math.log(.4) + Math.log(.7) + Math.log(.8) + Math.log(.6) + Math.log(.9) + Math.log(.7)) / 10;
        assertThat(ClassificationMetrics.logLoss(ACTUAL, probs)).isCloseTo(expected, within(EPS));
    }

    @Test
    void logLossClipsZeroProbability() {
        // a confident mistake costs -ln(1e-15) = 34.538776..., not infinity
        double ll = ClassificationMetrics.logLoss(new int[]{1}, new double[][]{{1.0, 0.0}});
        assertThat(ll).isCloseTo(15 * Math.log(10), within(1e-9));
    }

    @Test
    void threeClassConfusionAndAverages() {
        // actual a a a b b c c c c ; predicted a b a b c c c a c
        int[] actual = {0, 0, 0, 1, 1, 2, 2, 2, 2};
        int[] predicted = {0, 1, 0, 1, 2, 2, 2, 0, 2};
        long[][] m = ClassificationMetrics.confusion(3, actual, predicted);
        assertThat(m).isEqualTo(new long[][]{{2, 1, 0}, {0, 1, 1}, {1, 0, 3}});
        Map<String, Double> r = ClassificationMetrics.fromConfusion(List.of("a", "b", "c"), m);
        assertThat(r.get("accuracy")).isCloseTo(6.0 / 9, within(EPS));             // diagonal 2+1+3
        assertThat(r.get("precision.a")).isCloseTo(2.0 / 3, within(EPS));          // column a: 2, 0, 1
        assertThat(r.get("precision.b")).isCloseTo(1.0 / 2, within(EPS));          // column b: 1, 1, 0
        assertThat(r.get("precision.c")).isCloseTo(3.0 / 4, within(EPS));          // column c: 0, 1, 3
        assertThat(r.get("recall.c")).isCloseTo(3.0 / 4, within(EPS));             // row c: 1, 0, 3
        // per-class P = R here, so F1 = P; macro = (2/3 + 1/2 + 3/4) / 3 = 23/36
        assertThat(r.get("f1_macro")).isCloseTo(23.0 / 36, within(EPS));
        // weighted by support 3, 2, 4: (2 + 1 + 3) / 9
        assertThat(r.get("f1_weighted")).isCloseTo(6.0 / 9, within(EPS));
    }

    @Test
    void neverPredictedClassHasZeroPrecision() {
        long[][] m = ClassificationMetrics.confusion(2, new int[]{0, 1}, new int[]{0, 0});
        Map<String, Double> r = ClassificationMetrics.fromConfusion(List.of("a", "b"), m);
        assertThat(r.get("precision.b")).isZero();
        assertThat(r.get("f1.b")).isZero();
    }

    @Test
    void nearestRankPercentiles() {
        double[] ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertThat(ClassificationMetrics.nearestRank(ten, 50)).isEqualTo(5);   // rank ceil(5.0) = 5
        assertThat(ClassificationMetrics.nearestRank(ten, 95)).isEqualTo(10);  // rank ceil(9.5) = 10
        double[] thousand = new double[1000];
        for (int i = 0; i < 1000; i++) {
            thousand[i] = i + 1;
        }
        assertThat(ClassificationMetrics.nearestRank(thousand, 95)).isEqualTo(950);
        assertThat(ClassificationMetrics.nearestRank(thousand, 99)).isEqualTo(990);
    }

    @Test
    void predictionMetricsOmitRocAucAndLogLossWithoutProbabilities() {
        Map<String, String> notes = new HashMap<>();
        Map<String, Double> r = Evaluator.predictionMetrics(List.of("neg", "pos"), 1, ACTUAL, PREDICTED, null, notes);
        assertThat(r).doesNotContainKeys("roc_auc", "log_loss").containsKey("f1_macro");
        assertThat(notes).containsKeys("roc_auc", "log_loss");
    }
}
