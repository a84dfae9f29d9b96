package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops validate-data}: check the spec's data (and its reference, for drift). {@code out}: the output folder
 * (default {@code out/} next to the spec); reports go to {@code OUT/reports/data.*}.
 */
public record ValidateDataRequest(String spec, List<String> overrides, String out) implements Serializable {
    public ValidateDataRequest {
        Requests.requireSpec(spec);
        overrides = Requests.list(overrides);
    }

    public ValidateDataRequest(String spec) {
        this(spec, null, null);
    }

    public ValidateDataRequest withOverrides(List<String> o) {
        return new ValidateDataRequest(spec, o, out);
    }

    public ValidateDataRequest withOut(String dir) {
        return new ValidateDataRequest(spec, overrides, dir);
    }
}
