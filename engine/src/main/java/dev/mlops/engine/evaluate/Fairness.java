package dev.mlops.engine.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Group fairness of binary predictions (shared/reference/anchors.md §7), on plain arrays:
 * <ul>
 *   <li>demographic_parity_difference = max_g SR_g - min_g SR_g</li>
 *   <li>demographic_parity_ratio = min_g SR_g / max_g SR_g</li>
 *   <li>equal_opportunity_difference = max_g TPR_g - min_g TPR_g; undefined (absent, with a note) when a group has
 *       no positive rows, since its TPR does not exist</li>
 *   <li>disparate_impact_ratio = min_g SR_g / max_g SR_g: the four-fifths rule's ratio (the least-selected group's
 *       rate over the most-selected group's). It is by definition the same number as Fairlearn's
 *       demographic_parity_ratio; both names are reported because policies are written in either vocabulary.</li>
 * </ul>
 */
public final class Fairness {
    private Fairness() {
    }

    /**
     * The report plus its scalar metrics and notes about anything that could not be computed. A metric that is
     * undefined on these rows (fewer than two groups, a group without positives, no positive predictions at all) is
     * absent, so a gate bound on it fails closed, and its note starts with "undefined: " and says why.
     */
    public record Result(FairnessReport report, Map<String, Double> metrics, Map<String, String> notes) {
    }

    public static Result compute(String column, String positiveClass, String[] group, boolean[] actualPositive,
                                 boolean[] predictedPositive) {
        // group name -> {rows, positives, predictedPositive, truePositives}; sorted for a stable report
        Map<String, long[]> counts = new TreeMap<>();
        for (int i = 0; i < group.length; i++) {
            long[] c = counts.computeIfAbsent(group[i], g -> new long[4]);
            c[0]++;
            if (actualPositive[i]) {
                c[1]++;
            }
            if (predictedPositive[i]) {
                c[2]++;
                if (actualPositive[i]) {
                    c[3]++;
                }
            }
        }
        List<FairnessReport.Group> groups = new ArrayList<>();
        Map<String, String> notes = new LinkedHashMap<>();
        List<String> noPositives = new ArrayList<>();
        double minSr = Double.POSITIVE_INFINITY;
        double maxSr = Double.NEGATIVE_INFINITY;
        double minTpr = Double.POSITIVE_INFINITY;
        double maxTpr = Double.NEGATIVE_INFINITY;
        for (Map.Entry<String, long[]> e : counts.entrySet()) {
            long[] c = e.getValue();
            double sr = (double) c[2] / c[0];
            Double tpr = null;
            if (c[1] > 0) {
                tpr = (double) c[3] / c[1];
                minTpr = Math.min(minTpr, tpr);
                maxTpr = Math.max(maxTpr, tpr);
            } else {
                noPositives.add(e.getKey());
            }
            minSr = Math.min(minSr, sr);
            maxSr = Math.max(maxSr, sr);
            groups.add(new FairnessReport.Group(e.getKey(), c[0], c[1], c[2], sr, tpr));
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (groups.size() < 2) {
            // A difference or ratio over one group is 0 or 1 by construction and would pass any bound.
            String why = "undefined: column '" + column + "' has " + groups.size() + " group(s) in the test rows;"
                    + " group comparisons need at least two";
            for (String m : List.of(MetricCatalog.DEMOGRAPHIC_PARITY_DIFFERENCE, MetricCatalog.DEMOGRAPHIC_PARITY_RATIO,
                    MetricCatalog.DISPARATE_IMPACT_RATIO, MetricCatalog.EQUAL_OPPORTUNITY_DIFFERENCE)) {
                notes.put(m, why);
            }
            return new Result(new FairnessReport(column, positiveClass, groups), metrics, notes);
        }
        metrics.put(MetricCatalog.DEMOGRAPHIC_PARITY_DIFFERENCE, maxSr - minSr);
        if (maxSr > 0) {
            metrics.put(MetricCatalog.DEMOGRAPHIC_PARITY_RATIO, minSr / maxSr);
            metrics.put(MetricCatalog.DISPARATE_IMPACT_RATIO, minSr / maxSr);
        } else {
            String why = "undefined: no group has any positive ('" + positiveClass + "') prediction, so the"
                    + " selection-rate ratio is 0/0";
            notes.put(MetricCatalog.DEMOGRAPHIC_PARITY_RATIO, why);
            notes.put(MetricCatalog.DISPARATE_IMPACT_RATIO, why);
        }
        if (noPositives.isEmpty()) {
            metrics.put(MetricCatalog.EQUAL_OPPORTUNITY_DIFFERENCE, maxTpr - minTpr);
        } else {
            // The largest gap in true positive rate cannot be bounded while a group's rate is unknown.
            notes.put(MetricCatalog.EQUAL_OPPORTUNITY_DIFFERENCE, "undefined: group" + (noPositives.size() == 1
                    ? " " + noPositives.get(0) + " has" : "s " + String.join(", ", noPositives) + " have")
                    + " no positive ('" + positiveClass + "') test rows, so"
                    + (noPositives.size() == 1 ? " its" : " their") + " true positive rate does not exist");
        }
        return new Result(new FairnessReport(column, positiveClass, groups), metrics, notes);
    }
}
