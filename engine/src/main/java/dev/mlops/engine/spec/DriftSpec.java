package dev.mlops.engine.spec;

/**
 * Drift thresholds against a reference data set. PSI (numeric columns binned into {@code bins} quantile bins of the
 * reference; categorical columns by category) warns at {@code psiWarn} and fails at {@code psiFail}
 * (industry rule of thumb 0.1 / 0.25). Two-sample KS on numeric columns fails when its p-value is below
 * {@code ksPValue}.
 */
public record DriftSpec(Double psiWarn, Double psiFail, Double ksPValue, Integer bins) {
    public DriftSpec {
        psiWarn = psiWarn == null ? 0.1 : psiWarn;
        psiFail = psiFail == null ? 0.25 : psiFail;
        ksPValue = ksPValue == null ? 0.05 : ksPValue;
        bins = bins == null ? 10 : bins;
    }

    public static DriftSpec defaults() {
        return new DriftSpec(null, null, null, null);
    }
}
