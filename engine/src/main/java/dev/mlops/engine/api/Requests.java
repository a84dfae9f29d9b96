package dev.mlops.engine.api;

import dev.mlops.engine.InputException;

import java.util.List;

/** Checks and copies shared by the request types. */
final class Requests {
    private Requests() {
    }

    static void requireSpec(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new InputException("a pipeline spec is required (the path of mlops.yaml)");
        }
    }

    /** An immutable, serializable copy; null is empty. */
    static List<String> list(List<String> values) {
        return values == null ? List.of() : List.copyOf(values);
    }
}
