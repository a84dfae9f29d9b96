package dev.mlops.engine.spec;

import java.util.LinkedHashMap;
import java.util.Map;

/** The gate: one rule per metric name (names from {@code MetricCatalog}), and the first-release policy. */
public record GatePolicy(MissingBaseline onMissingBaseline, String baselineAlias, Map<String, MetricRule> metrics) {
    public GatePolicy {
        onMissingBaseline = onMissingBaseline == null ? MissingBaseline.ABSOLUTE_ONLY : onMissingBaseline;
        baselineAlias = baselineAlias == null ? "production" : baselineAlias;
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    public static GatePolicy defaults() {
        return new GatePolicy(null, null, null);
    }
}
