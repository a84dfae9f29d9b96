package dev.mlops.engine.data;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DriftTest {
    private static double[] range(int from, int to) {
        double[] out = new double[to - from + 1];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    @Test
    void psiHandComputed() {
        // Reference 1..10, 2 bins: the 0.5-quantile is the 5th smallest value, 5, so the bins are (-inf, 5] and
        // (5, inf) with reference shares 0.5 / 0.5. Current {1, 1, 1, 9}: shares 0.75 / 0.25.
        // PSI = (0.75 - 0.5) ln(0.75 / 0.5) + (0.25 - 0.5) ln(0.25 / 0.5)
        //     = 0.25 * 0.4054651 + 0.25 * 0.6931472 = 0.2746531
        assertThat(Drift.psi(range(1, 10), new double[] {1, 1, 1, 9}, 2)).isCloseTo(0.2746531, within(1e-6));
    }

    @Test
    void psiFourBinsHandComputed() {
        // Reference 1..8, 4 bins: edges at the 2nd, 4th, 6th smallest = 2, 4, 6; reference shares 0.25 each.
        // Current {1, 2, 3, 4, 5, 6, 7, 100}: the outlier 100 falls in the last bin, so shares are also 0.25 each.
        assertThat(Drift.psi(range(1, 8), new double[] {1, 2, 3, 4, 5, 6, 7, 100}, 4)).isEqualTo(0.0);
        // Current {3, 4, 3, 4}: all in bin (2, 4] -> shares 0, 1, 0, 0. Empty bins get 1e-4:
        // 3 * (1e-4 - 0.25) ln(1e-4 / 0.25) + (1 - 0.25) ln(1 / 0.25)
        //   = 3 * (-0.2499) * (-7.8240460) + 0.75 * 1.3862944 = 5.8656873 + 1.0397208 = 6.9054081
        assertThat(Drift.psi(range(1, 8), new double[] {3, 4, 3, 4}, 4)).isCloseTo(6.9054081, within(1e-6));
    }

    @Test
    void psiOfIdenticalSamplesIsZeroAndMissingValuesAreIgnored() {
        double[] a = new Random(1).doubles(1000).toArray();
        assertThat(Drift.psi(a, a.clone(), 10)).isEqualTo(0.0);
        double[] withNaN = {1, 2, Double.NaN, 3};
        assertThat(Drift.psi(new double[] {1, 2, 3}, withNaN, 3)).isEqualTo(0.0);
    }

    @Test
    void psiMergesRepeatedEdgesForFewDistinctValues() {
        // A 0/1 column with 10 requested bins: every quantile edge is 0 or 1, leaving the bins (-inf, 0], (0, 1].
        // Reference shares 0.5/0.5, current 0.9/0.1:
        // (0.9-0.5) ln(1.8) + (0.1-0.5) ln(0.2) = 0.4*0.5877867 + 0.4*1.6094379 = 0.8788898
        double[] ref = {0, 0, 0, 0, 0, 1, 1, 1, 1, 1};
        double[] cur = {0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
        assertThat(Drift.psi(ref, cur, 10)).isCloseTo(0.8788898, within(1e-6));
    }

    @Test
    void psiGrowsWithAShift() {
        Random r = new Random(7);
        double[] ref = new double[5000];
        double[] small = new double[5000];
        double[] big = new double[5000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = r.nextGaussian();
            small[i] = r.nextGaussian() + 0.1;
            big[i] = r.nextGaussian() + 1.0;
        }
        double psiSmall = Drift.psi(ref, small, 10);
        double psiBig = Drift.psi(ref, big, 10);
        assertThat(psiSmall).isLessThan(0.1);
        assertThat(psiBig).isGreaterThan(0.25).isGreaterThan(psiSmall);
    }

    @Test
    void psiCategoricalHandComputed() {
        // Reference a,a,b,b: 0.5/0.5/0 (c unseen). Current a,b,c,c: 0.25/0.25/0.5.
        // (0.25-0.5) ln(0.5) * 2 = 2 * 0.1732868 = 0.3465736; c: (0.5 - 1e-4) ln(0.5 / 1e-4) = 0.4999 * 8.5171932
        //   = 4.2577449. Total 4.6043185.
        double psi = Drift.psiCategorical(new String[] {"a", "a", "b", "b", null}, new String[] {"a", "b", "c", "c"});
        assertThat(psi).isCloseTo(4.6043185, within(1e-6));
        assertThat(Drift.psiCategorical(new String[] {"x", "y"}, new String[] {"y", "x"})).isEqualTo(0.0);
    }

    @Test
    void ksIdenticalSamples() {
        double[] a = {3, 1, 2, 2, 5};
        Drift.KsResult r = Drift.ks(a, a.clone());
        assertThat(r.statistic()).isEqualTo(0.0);
        assertThat(r.pValue()).isEqualTo(1.0);
    }

    @Test
    void ksFullySeparatedSamples() {
        Drift.KsResult r = Drift.ks(range(1, 50), range(100, 149));
        assertThat(r.statistic()).isEqualTo(1.0);
        // lambda = 1 * sqrt(50*50/100) = 5: p = 2 exp(-50) ~ 3.9e-22
        assertThat(r.pValue()).isCloseTo(2 * Math.exp(-50), within(1e-25));
    }

    @Test
    void ksHandComputed() {
        // a = {1,2,3,4}, b = {3..8}. Largest CDF gap at x = 4: F_a = 1, F_b = 2/6 -> D = 2/3.
        // lambda = 2/3 * sqrt(4*6/10) = 1.0327956; scipy.stats.kstwobign.sf(1.0327956) = 0.2364901
        Drift.KsResult r = Drift.ks(new double[] {1, 2, 3, 4}, range(3, 8));
        assertThat(r.statistic()).isCloseTo(2.0 / 3, within(1e-12));
        assertThat(r.pValue()).isCloseTo(0.2364901, within(1e-6));
        // a = 1..10, b = 4..13: at x = 3, F_a = 0.3, F_b = 0 -> D = 0.3 (ties counted on both sides at once).
        // lambda = 0.3 * sqrt(100/20) = 0.6708204; kstwobign.sf = 0.7590978
        Drift.KsResult s = Drift.ks(range(1, 10), range(4, 13));
        assertThat(s.statistic()).isCloseTo(0.3, within(1e-12));
        assertThat(s.pValue()).isCloseTo(0.7590978, within(1e-6));
    }

    @Test
    void kolmogorovSurvivalMatchesKnownValues() {
        // Values from scipy.stats.kstwobign.sf, covering both series used.
        assertThat(Drift.kolmogorovSurvival(0.3)).isCloseTo(0.9999906942, within(1e-9));
        assertThat(Drift.kolmogorovSurvival(0.5)).isCloseTo(0.9639452437, within(1e-9));
        assertThat(Drift.kolmogorovSurvival(1.0)).isCloseTo(0.2699996717, within(1e-9));
        assertThat(Drift.kolmogorovSurvival(1.36)).isCloseTo(0.0494858768, within(1e-9));
        assertThat(Drift.kolmogorovSurvival(2.0)).isCloseTo(0.0006709253, within(1e-9));
        assertThat(Drift.kolmogorovSurvival(0)).isEqualTo(1.0);
    }

    @Test
    void ksDetectsAShiftOnLargeSamples() {
        Random r = new Random(3);
        double[] a = new double[2000];
        double[] same = new double[2000];
        double[] shifted = new double[2000];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
            same[i] = r.nextGaussian();
            shifted[i] = r.nextGaussian() + 0.3;
        }
        assertThat(Drift.ks(a, shifted).pValue()).isLessThan(1e-6);
        assertThat(Drift.ks(a, same).pValue()).isGreaterThan(0.01);
    }

    @Test
    void inputsAreNotModified() {
        double[] a = {3, 1, 2};
        double[] b = {9, 8, 7};
        Drift.ks(a, b);
        Drift.psi(a, b, 2);
        assertThat(a).containsExactly(3, 1, 2);
        assertThat(b).containsExactly(9, 8, 7);
    }
}
