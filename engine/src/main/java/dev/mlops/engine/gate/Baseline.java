package dev.mlops.engine.gate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The model a candidate is compared with: a human description for the report (e.g.
 * "breast-cancer v3 (@production, run 1a2b…)") and the metrics recorded for it. Values may be missing or NaN; the
 * gate fails the affected change bounds closed rather than guessing.
 */
public record Baseline(String description, Map<String, Double> metrics) {
    public Baseline {
        Objects.requireNonNull(description, "description");
        // LinkedHashMap rather than Map.copyOf: a tracker may hand back a null value for a metric it could not parse.
        metrics = metrics == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
