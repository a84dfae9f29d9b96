package dev.mlops.engine.evaluate;

import java.util.List;

/**
 * Per-group rates for a binary model, grouped by the sensitive column. {@code truePositiveRate} is null for a group
 * without any positive rows (TPR is undefined there), which leaves the equal-opportunity difference undefined too.
 */
public record FairnessReport(String column, String positiveClass, List<Group> groups) {

    public FairnessReport {
        groups = List.copyOf(groups);
    }

    /**
     * @param rows              rows in the group
     * @param positives         rows whose true label is the positive class
     * @param predictedPositive rows predicted as the positive class
     * @param selectionRate     SR_g = predictedPositive / rows
     * @param truePositiveRate  TPR_g = (predicted and truly positive) / positives; null when positives = 0
     */
    public record Group(String name, long rows, long positives, long predictedPositive, double selectionRate,
                        Double truePositiveRate) {
    }
}
