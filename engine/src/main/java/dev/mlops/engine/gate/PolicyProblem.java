package dev.mlops.engine.gate;

import java.util.List;

/**
 * One problem in a gate policy: the key path from the spec root (e.g. {@code [gate, metrics, f1_macro,
 * maxRegressionRel]}) and what is wrong. The path is a list because metric names such as {@code f1.yes} contain dots.
 */
public record PolicyProblem(List<String> path, String message) {
    public PolicyProblem {
        path = List.copyOf(path);
    }

    /** "gate.metrics.f1_macr: unknown metric ...". */
    @Override
    public String toString() {
        return String.join(".", path) + ": " + message;
    }
}
