package dev.mlops.engine.spec;

/**
 * Data-wide checks. Shares are fractions in [0, 1]. {@code minClassShare}: every label must make up at least this
 * share of the rows.
 */
public record DataChecks(Integer minRows, Double maxNullShare, Double maxDuplicateShare, Double minClassShare,
                         DriftSpec drift) {
    public DataChecks {
        minRows = minRows == null ? 10 : minRows;
        maxNullShare = maxNullShare == null ? 0.0 : maxNullShare;
        maxDuplicateShare = maxDuplicateShare == null ? 0.05 : maxDuplicateShare;
        minClassShare = minClassShare == null ? 0.01 : minClassShare;
        drift = drift == null ? DriftSpec.defaults() : drift;
    }

    public static DataChecks defaults() {
        return new DataChecks(null, null, null, null, null);
    }
}
