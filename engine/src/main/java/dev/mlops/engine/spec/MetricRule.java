package dev.mlops.engine.spec;

/**
 * Bounds for one metric. Absolute: {@code min}/{@code max} (inclusive unless {@code inclusive} is false).
 * Against the baseline, with "better" defined by {@code greaterIsBetter} (default from the metric catalog):
 * {@code maxRegressionAbs} is the largest tolerated worsening in the metric's units, {@code maxRegressionRel} the
 * largest tolerated worsening as a fraction of |baseline| (0.05 = "at least 95% of the baseline" for a metric where
 * greater is better); {@code minImprovementAbs}/{@code minImprovementRel} demand an improvement. Relative change is
 * (candidate - baseline) / |baseline|; with a zero baseline relative rules fall back to the absolute difference.
 */
public record MetricRule(Double min, Double max, Boolean inclusive, Boolean greaterIsBetter,
                         Double maxRegressionAbs, Double maxRegressionRel,
                         Double minImprovementAbs, Double minImprovementRel) {
    public MetricRule {
        inclusive = inclusive == null ? Boolean.TRUE : inclusive;
    }

    public boolean hasChangeBounds() {
        return maxRegressionAbs != null || maxRegressionRel != null || minImprovementAbs != null || minImprovementRel != null;
    }
}
