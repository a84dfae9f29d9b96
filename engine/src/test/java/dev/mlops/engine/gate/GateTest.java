package dev.mlops.engine.gate;

import dev.mlops.engine.report.Check;
import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.report.Verdict;
import dev.mlops.engine.spec.GatePolicy;
import dev.mlops.engine.spec.MetricRule;
import dev.mlops.engine.spec.MissingBaseline;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class GateTest {

    // ------------------------------------------------------------------ helpers

    static MetricRule min(double v) {
        return new MetricRule(v, null, null, null, null, null, null, null);
    }

    static MetricRule max(double v) {
        return new MetricRule(null, v, null, null, null, null, null, null);
    }

    static MetricRule exclusive(Double min, Double max) {
        return new MetricRule(min, max, false, null, null, null, null, null);
    }

    static MetricRule maxRegressionRel(double v) {
        return new MetricRule(null, null, null, null, null, v, null, null);
    }

    static MetricRule maxRegressionAbs(double v) {
        return new MetricRule(null, null, null, null, v, null, null, null);
    }

    static MetricRule minImprovementAbs(double v) {
        return new MetricRule(null, null, null, null, null, null, v, null);
    }

    static MetricRule minImprovementRel(double v) {
        return new MetricRule(null, null, null, null, null, null, null, v);
    }

    static GatePolicy policy(String metric, MetricRule rule) {
        return new GatePolicy(null, null, Map.of(metric, rule));
    }

    static Optional<Baseline> baseline(String metric, double value) {
        return Optional.of(new Baseline("demo v3 (@production, run 1a2b)", Map.of(metric, value)));
    }

    /** The single row of a one-bound policy. */
    static Check only(CheckReport r) {
        assertThat(r.checks()).hasSize(1);
        return r.checks().get(0);
    }

    static Verdict verdict(GatePolicy p, String metric, double candidate, Optional<Baseline> b) {
        return only(Gate.check(p, Map.of(metric, candidate), b)).verdict();
    }

    // ------------------------------------------------------------------ absolute bounds

    @Nested
    class AbsoluteBounds {
        @Test
        void inclusiveMinimumPassesOnTheBoundAndFailsJustBelow() {
            GatePolicy p = policy("accuracy", min(0.90));
            assertThat(verdict(p, "accuracy", 0.90, Optional.empty())).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "accuracy", 0.95, Optional.empty())).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "accuracy", 0.8999, Optional.empty())).isEqualTo(Verdict.FAIL);

            Check row = only(Gate.check(p, Map.of("accuracy", 0.85), Optional.empty()));
            assertThat(row.name()).isEqualTo("min");
            assertThat(row.subject()).isEqualTo("accuracy");
            assertThat(row.rule()).isEqualTo("accuracy >= 0.9");
            assertThat(row.candidate()).isEqualTo(0.85);
            assertThat(row.message()).contains("0.85").contains("below the minimum 0.9");
        }

        @Test
        void exclusiveMinimumFailsOnTheBound() {
            GatePolicy p = policy("accuracy", exclusive(0.90, null));
            assertThat(verdict(p, "accuracy", 0.90, Optional.empty())).isEqualTo(Verdict.FAIL);
            assertThat(verdict(p, "accuracy", 0.9001, Optional.empty())).isEqualTo(Verdict.PASS);
            assertThat(only(Gate.check(p, Map.of("accuracy", 0.9), Optional.empty())).rule())
                    .isEqualTo("accuracy > 0.9");
        }

        @Test
        void inclusiveAndExclusiveMaximum() {
            GatePolicy inc = policy("latency_p95_ms", max(50));
            assertThat(verdict(inc, "latency_p95_ms", 50, Optional.empty())).isEqualTo(Verdict.PASS);
            assertThat(verdict(inc, "latency_p95_ms", 50.001, Optional.empty())).isEqualTo(Verdict.FAIL);
            assertThat(only(Gate.check(inc, Map.of("latency_p95_ms", 1.0), Optional.empty())).rule())
                    .isEqualTo("latency_p95_ms <= 50");

            GatePolicy exc = policy("latency_p95_ms", exclusive(null, 50.0));
            assertThat(verdict(exc, "latency_p95_ms", 50, Optional.empty())).isEqualTo(Verdict.FAIL);
            assertThat(verdict(exc, "latency_p95_ms", 49.99, Optional.empty())).isEqualTo(Verdict.PASS);
        }

        @Test
        void floatNoiseOnTheBoundCountsAsOnTheBound() {
            double noisy = 0.1 + 0.2; // 0.30000000000000004
            assertThat(noisy).isGreaterThan(0.3);
            assertThat(verdict(policy("log_loss", max(0.3)), "log_loss", noisy, Optional.empty()))
                    .isEqualTo(Verdict.PASS);
            // ... and consistently, "equal" fails an exclusive bound.
            assertThat(verdict(policy("log_loss", exclusive(null, 0.3)), "log_loss", noisy, Optional.empty()))
                    .isEqualTo(Verdict.FAIL);
        }

        @Test
        void absoluteRowsShowBaselineAndDeltaWhenThereIsOne() {
            Check row = only(Gate.check(policy("accuracy", min(0.9)), Map.of("accuracy", 0.93),
                    baseline("accuracy", 0.91)));
            assertThat(row.baseline()).isEqualTo(0.91);
            assertThat(row.delta()).isCloseTo(0.02, within(1e-12));
        }

        @Test
        void oneRowPerBoundInSpecOrder() {
            MetricRule all = new MetricRule(0.5, 0.99, null, null, 0.02, 0.05, 0.0, 0.0);
            CheckReport r = Gate.check(policy("f1_macro", all), Map.of("f1_macro", 0.9), baseline("f1_macro", 0.9));
            assertThat(r.checks()).extracting(Check::name).containsExactly("min", "max", "maxRegressionAbs",
                    "maxRegressionRel", "minImprovementAbs", "minImprovementRel");
            assertThat(r.checks()).allMatch(c -> c.verdict() == Verdict.PASS);
        }
    }

    // ------------------------------------------------------------------ change bounds

    @Nested
    class ChangeBounds {
        @Test
        void ninetyFivePercentOfBaseline() {
            GatePolicy p = policy("f1_macro", maxRegressionRel(0.05));
            Optional<Baseline> b = baseline("f1_macro", 0.90);
            // 0.95 x 0.90 = 0.855 exactly; in binary floating point the relative change is a hair below -0.05,
            // which is what the epsilon is for.
            assertThat((0.855 - 0.90) / 0.90).isLessThan(-0.05);
            Check onBound = only(Gate.check(p, Map.of("f1_macro", 0.855), b));
            assertThat(onBound.verdict()).isEqualTo(Verdict.PASS);
            assertThat(onBound.rule()).isEqualTo("f1_macro >= 0.95 x baseline (max regression 5%)");
            assertThat(onBound.baseline()).isEqualTo(0.90);
            assertThat(onBound.delta()).isCloseTo(-0.045, within(1e-12));
            assertThat(onBound.message()).contains("worsened by 5%").contains("within the tolerated 5%");

            Check below = only(Gate.check(p, Map.of("f1_macro", 0.8549), b));
            assertThat(below.verdict()).isEqualTo(Verdict.FAIL);
            // (0.8549 - 0.9) / 0.9 = -0.0501111...
            assertThat(below.message()).contains("worsened by 5.01111%").contains("more than the tolerated 5%");

            Check better = only(Gate.check(p, Map.of("f1_macro", 0.93), b));
            assertThat(better.verdict()).isEqualTo(Verdict.PASS);
            assertThat(better.message()).contains("improved by");
        }

        @Test
        void absoluteRegressionTolerance() {
            GatePolicy p = policy("accuracy", maxRegressionAbs(0.02));
            Optional<Baseline> b = baseline("accuracy", 0.90);
            assertThat(0.88 - 0.90).isLessThan(-0.02); // float noise again
            assertThat(verdict(p, "accuracy", 0.88, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "accuracy", 0.879, b)).isEqualTo(Verdict.FAIL);
            assertThat(only(Gate.check(p, Map.of("accuracy", 0.88), b)).rule())
                    .isEqualTo("accuracy >= baseline - 0.02 (max regression 0.02)");
        }

        @Test
        void requiredAbsoluteImprovement() {
            GatePolicy p = policy("accuracy", minImprovementAbs(0.01));
            Optional<Baseline> b = baseline("accuracy", 0.80);
            assertThat(verdict(p, "accuracy", 0.81, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "accuracy", 0.8099, b)).isEqualTo(Verdict.FAIL);
            Check worse = only(Gate.check(p, Map.of("accuracy", 0.79), b));
            assertThat(worse.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(worse.message()).contains("worsened by 0.01").contains("an improvement of at least 0.01");
            assertThat(worse.rule()).isEqualTo("accuracy >= baseline + 0.01 (min improvement 0.01)");
        }

        @Test
        void requiredRelativeImprovement() {
            GatePolicy p = policy("accuracy", minImprovementRel(0.02));
            Optional<Baseline> b = baseline("accuracy", 0.80);
            // 1.02 x 0.80 = 0.816
            assertThat(verdict(p, "accuracy", 0.816, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "accuracy", 0.8159, b)).isEqualTo(Verdict.FAIL);
            assertThat(only(Gate.check(p, Map.of("accuracy", 0.9), b)).rule())
                    .isEqualTo("accuracy >= 1.02 x baseline (min improvement 2%)");
        }

        @Test
        void lowerIsBetterLatency() {
            GatePolicy p = policy("latency_p95_ms", maxRegressionRel(0.10));
            Optional<Baseline> b = baseline("latency_p95_ms", 20.0);
            // 1.1 x 20 ms = 22 ms
            assertThat(verdict(p, "latency_p95_ms", 22.0, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "latency_p95_ms", 22.01, b)).isEqualTo(Verdict.FAIL);
            assertThat(verdict(p, "latency_p95_ms", 10.0, b)).isEqualTo(Verdict.PASS);
            Check slow = only(Gate.check(p, Map.of("latency_p95_ms", 30.0), b));
            assertThat(slow.rule()).isEqualTo("latency_p95_ms <= 1.1 x baseline (max regression 10%)");
            assertThat(slow.message()).contains("lower is better").contains("worsened by 50%");
            assertThat(slow.delta()).isEqualTo(10.0);
        }

        @Test
        void lowerIsBetterLogLoss() {
            GatePolicy p = policy("log_loss", maxRegressionAbs(0.05));
            Optional<Baseline> b = baseline("log_loss", 0.30);
            assertThat(verdict(p, "log_loss", 0.35, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "log_loss", 0.3501, b)).isEqualTo(Verdict.FAIL);
            assertThat(verdict(p, "log_loss", 0.25, b)).isEqualTo(Verdict.PASS);
            assertThat(only(Gate.check(p, Map.of("log_loss", 0.3), b)).rule())
                    .isEqualTo("log_loss <= baseline + 0.05 (max regression 0.05)");
        }

        @Test
        void lowerIsBetterModelSizeMustHalve() {
            GatePolicy p = policy("model_size_bytes", minImprovementRel(0.5));
            Optional<Baseline> b = baseline("model_size_bytes", 1_000_000);
            assertThat(verdict(p, "model_size_bytes", 500_000, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "model_size_bytes", 500_001, b)).isEqualTo(Verdict.FAIL);
            assertThat(only(Gate.check(p, Map.of("model_size_bytes", 1.0), b)).rule())
                    .isEqualTo("model_size_bytes <= 0.5 x baseline (min improvement 50%)");
        }

        @Test
        void ruleDirectionOverridesTheCatalog() {
            MetricRule lowerAccuracy = new MetricRule(null, null, null, false, 0.01, null, null, null);
            Optional<Baseline> b = baseline("accuracy", 0.50);
            // With "lower is better", rising from 0.50 to 0.52 is a regression of 0.02.
            assertThat(verdict(policy("accuracy", lowerAccuracy), "accuracy", 0.52, b)).isEqualTo(Verdict.FAIL);
            assertThat(verdict(policy("accuracy", lowerAccuracy), "accuracy", 0.48, b)).isEqualTo(Verdict.PASS);
        }

        @Test
        void zeroBaselineFallsBackToTheAbsoluteDifference() {
            GatePolicy p = policy("demographic_parity_difference", maxRegressionRel(0.05));
            Optional<Baseline> b = baseline("demographic_parity_difference", 0.0);
            Check ok = only(Gate.check(p, Map.of("demographic_parity_difference", 0.04), b));
            assertThat(ok.verdict()).isEqualTo(Verdict.PASS);
            assertThat(ok.message()).contains("baseline is 0").contains("absolute difference");
            assertThat(verdict(p, "demographic_parity_difference", 0.05, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "demographic_parity_difference", 0.06, b)).isEqualTo(Verdict.FAIL);
        }

        @Test
        void negativeBaselineUsesItsMagnitude() {
            // A custom metric: (c - b) / |b| >= -0.1 with b = -2 means c >= -2.2.
            MetricRule r = new MetricRule(null, null, null, true, null, 0.10, null, null);
            GatePolicy p = policy("calibration_offset", r);
            Optional<Baseline> b = baseline("calibration_offset", -2.0);
            assertThat(verdict(p, "calibration_offset", -2.2, b)).isEqualTo(Verdict.PASS);
            assertThat(verdict(p, "calibration_offset", -2.21, b)).isEqualTo(Verdict.FAIL);
            assertThat(only(Gate.check(p, Map.of("calibration_offset", -2.0), b)).rule())
                    .isEqualTo("calibration_offset >= 1.1 x baseline (max regression 10%)");
        }

        @Test
        void unknownDirectionFailsClosed() {
            Check row = only(Gate.check(policy("custom", maxRegressionAbs(0.1)), Map.of("custom", 1.0),
                    baseline("custom", 1.0)));
            assertThat(row.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(row.message()).contains("greaterIsBetter");
        }

        @Test
        void baselineWithoutTheMetricFailsClosed() {
            Optional<Baseline> b = baseline("accuracy", 0.9);
            Check row = only(Gate.check(policy("f1_macro", maxRegressionRel(0.05)), Map.of("f1_macro", 0.99), b));
            assertThat(row.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(row.message()).startsWith("baseline has no 'f1_macro'").contains("demo v3");
        }

        @Test
        void baselineNaNFailsClosed() {
            Check row = only(Gate.check(policy("f1_macro", maxRegressionRel(0.05)), Map.of("f1_macro", 0.99),
                    baseline("f1_macro", Double.NaN)));
            assertThat(row.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(row.message()).contains("NaN");
        }
    }

    // ------------------------------------------------------------------ first release

    @Nested
    class MissingBaselineModes {
        final Map<String, MetricRule> rules = new LinkedHashMap<>(Map.of("f1_macro",
                new MetricRule(0.8, null, null, null, null, 0.05, null, null)));

        @Test
        void absoluteOnlyIsTheDefaultAndSkipsChangeBounds() {
            CheckReport r = Gate.check(new GatePolicy(null, null, rules), Map.of("f1_macro", 0.85), Optional.empty());
            assertThat(r.checks()).extracting(Check::name, Check::verdict)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("min", Verdict.PASS),
                            org.assertj.core.groups.Tuple.tuple("maxRegressionRel", Verdict.SKIP));
            assertThat(r.checks().get(1).message()).isEqualTo("no baseline (no model holds alias 'production'): "
                    + "change bounds skipped (onMissingBaseline: absoluteOnly)");
            assertThat(r.passed()).isTrue();
            assertThat(r.context().get("baseline")).isEqualTo("none: no model holds alias 'production'");
            assertThat(r.context().get("onMissingBaseline")).startsWith("absoluteOnly").contains("first release");
        }

        @Test
        void absoluteBoundsStillApplyWithoutBaseline() {
            CheckReport r = Gate.check(new GatePolicy(MissingBaseline.PASS, null, rules), Map.of("f1_macro", 0.7),
                    Optional.empty());
            assertThat(r.passed()).isFalse();
            assertThat(r.failures()).extracting(Check::name).containsExactly("min");
        }

        @Test
        void passModePassesChangeBoundsAndSaysSo() {
            CheckReport r = Gate.check(new GatePolicy(MissingBaseline.PASS, "champion", rules),
                    Map.of("f1_macro", 0.85), Optional.empty());
            Check change = r.checks().get(1);
            assertThat(change.verdict()).isEqualTo(Verdict.PASS);
            assertThat(change.message()).contains("no model holds alias 'champion'").contains("onMissingBaseline: pass");
            assertThat(r.passed()).isTrue();
            assertThat(r.context().get("onMissingBaseline")).startsWith("pass");
        }

        @Test
        void failModeAddsOneBaselineRequiredRow() {
            CheckReport r = Gate.check(new GatePolicy(MissingBaseline.FAIL, null, rules), Map.of("f1_macro", 0.85),
                    Optional.empty());
            assertThat(r.passed()).isFalse();
            assertThat(r.failures()).hasSize(1);
            Check f = r.failures().get(0);
            assertThat(f.name()).isEqualTo("baseline");
            assertThat(f.message()).startsWith("baseline required");
            assertThat(r.context().get("onMissingBaseline")).startsWith("fail");
        }

        @Test
        void contextNamesTheBaselineWhenThereIsOne() {
            CheckReport r = Gate.check(new GatePolicy(MissingBaseline.FAIL, null, rules), Map.of("f1_macro", 0.85),
                    baseline("f1_macro", 0.86));
            assertThat(r.passed()).isTrue();
            assertThat(r.context().get("baseline")).isEqualTo("demo v3 (@production, run 1a2b)");
            assertThat(r.context().get("onMissingBaseline")).contains("not needed");
            assertThat(r.context().get("policy")).contains("f1_macro").contains("min 0.8")
                    .contains("maxRegressionRel 0.05");
            assertThat(r.title()).isEqualTo("Gate");
        }
    }

    // ------------------------------------------------------------------ fail closed

    @Nested
    class FailClosed {
        @Test
        void missingMetricFailsEveryBound() {
            MetricRule r = new MetricRule(0.9, null, null, null, null, 0.05, null, null);
            CheckReport report = Gate.check(policy("roc_auc", r), Map.of("accuracy", 0.99), baseline("roc_auc", 0.9));
            assertThat(report.passed()).isFalse();
            assertThat(report.checks()).hasSize(2).allMatch(c -> c.verdict() == Verdict.FAIL)
                    .allMatch(c -> c.message().startsWith("metric 'roc_auc' was not computed"));
        }

        @Test
        void missingMetricFailsEvenWithoutBaseline() {
            CheckReport report = Gate.check(policy("f1_macro", maxRegressionRel(0.05)), Map.of(), Optional.empty());
            assertThat(only(report).verdict()).isEqualTo(Verdict.FAIL);
        }

        @Test
        void nanAndNullAndInfinityFail() {
            Map<String, Double> c = new HashMap<>();
            c.put("accuracy", Double.NaN);
            assertThat(only(Gate.check(policy("accuracy", min(0.0)), c, Optional.empty())).message())
                    .contains("NaN");
            c.put("accuracy", null);
            assertThat(only(Gate.check(policy("accuracy", min(0.0)), c, Optional.empty())).verdict())
                    .isEqualTo(Verdict.FAIL);
            c.put("accuracy", Double.POSITIVE_INFINITY);
            assertThat(only(Gate.check(policy("accuracy", min(0.0)), c, Optional.empty())).verdict())
                    .isEqualTo(Verdict.FAIL);
        }

        @Test
        void undefinedFairnessMetricFailsClosedAndTheRowSaysWhy() {
            // What the evaluator reports when a group has no positive test rows: the metric is absent, with a note.
            Map<String, String> notes = Map.of("equal_opportunity_difference",
                    "undefined: group B has no positive ('yes') test rows, so its true positive rate does not exist");
            Check row = only(Gate.check(policy("equal_opportunity_difference", max(0.1)), Map.of("accuracy", 0.9),
                    notes, Optional.empty()));
            assertThat(row.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(row.message()).contains("undefined: group B has no positive ('yes') test rows")
                    .contains("fails closed").doesNotContain("data.sensitive");
        }

        @Test
        void absentFairnessMetricExplainsTheSensitiveColumn() {
            Check row = only(Gate.check(policy("disparate_impact_ratio", min(0.8)), Map.of("accuracy", 0.9),
                    Optional.empty()));
            assertThat(row.verdict()).isEqualTo(Verdict.FAIL);
            assertThat(row.message()).contains("was not computed").contains("data.sensitive");
        }

        @Test
        void emptyPolicyWarnsButPasses() {
            CheckReport r = Gate.check(GatePolicy.defaults(), Map.of("accuracy", 0.9), Optional.empty());
            assertThat(r.passed()).isTrue();
            assertThat(r.warnings()).hasSize(1);
            assertThat(r.context()).containsKeys("policy", "baseline", "onMissingBaseline");
        }

        @Test
        void ruleWithoutBoundsWarnsButMissingMetricStillFails() {
            MetricRule none = new MetricRule(null, null, null, null, null, null, null, null);
            assertThat(only(Gate.check(policy("accuracy", none), Map.of("accuracy", 0.9), Optional.empty())).verdict())
                    .isEqualTo(Verdict.WARN);
            assertThat(only(Gate.check(policy("accuracy", none), Map.of(), Optional.empty())).verdict())
                    .isEqualTo(Verdict.FAIL);
        }

        @Test
        void rowsFollowPolicyOrder() {
            Map<String, MetricRule> rules = new LinkedHashMap<>();
            rules.put("log_loss", max(1.0));
            rules.put("accuracy", min(0.5));
            rules.put("f1_macro", min(0.5));
            CheckReport r = Gate.check(new GatePolicy(null, null, rules),
                    Map.of("log_loss", 0.5, "accuracy", 0.9, "f1_macro", 0.9), Optional.empty());
            assertThat(r.checks()).extracting(Check::subject).isEqualTo(List.of("log_loss", "accuracy", "f1_macro"));
        }
    }

    @Nested
    class Properties {
        /**
         * Whatever the baseline and tolerance, a candidate computed as exactly "(1 - R) x baseline" sits on the
         * bound and passes, and one a hair (far above float noise) worse fails. Seeded, so deterministic.
         */
        @Test
        void candidatesOnTheRelativeBoundPassAndJustBeyondFail() {
            java.util.Random rnd = new java.util.Random(42);
            for (int i = 0; i < 5_000; i++) {
                double b = 0.01 + rnd.nextDouble();
                double tol = rnd.nextInt(50) / 100.0;
                GatePolicy p = policy("f1_macro", maxRegressionRel(tol));
                Optional<Baseline> base = baseline("f1_macro", b);
                double onBound = b * (1 - tol);
                assertThat(verdict(p, "f1_macro", onBound, base)).as("b=%s tol=%s", b, tol).isEqualTo(Verdict.PASS);
                assertThat(verdict(p, "f1_macro", onBound - 1e-9, base)).as("b=%s tol=%s", b, tol)
                        .isEqualTo(Verdict.FAIL);
            }
        }

        @Test
        void sizeBudgetsAreExactToTheByte() {
            java.util.Random rnd = new java.util.Random(7);
            for (int i = 0; i < 5_000; i++) {
                double b = 1_000 + rnd.nextInt(10_000_000);
                GatePolicy p = policy("model_size_bytes", maxRegressionAbs(1024));
                Optional<Baseline> base = baseline("model_size_bytes", b);
                assertThat(verdict(p, "model_size_bytes", b + 1024, base)).isEqualTo(Verdict.PASS);
                assertThat(verdict(p, "model_size_bytes", b + 1025, base)).isEqualTo(Verdict.FAIL);
                GatePolicy rel = policy("model_size_bytes", maxRegressionRel(0.25));
                double onBound = b * 1.25;
                assertThat(verdict(rel, "model_size_bytes", onBound, base)).isEqualTo(Verdict.PASS);
                assertThat(verdict(rel, "model_size_bytes", onBound + 1, base)).isEqualTo(Verdict.FAIL);
            }
        }
    }
}
