package dev.mlops.engine.api;

import java.io.Serializable;
import java.util.List;

/**
 * {@code mlops summary}: the {@code --json} result files of earlier steps as Markdown (CI job summaries), or with
 * {@code field} the one value at that dotted path of the first file ({@code version}, {@code release.id}).
 */
public record SummaryRequest(List<String> files, String field) implements Serializable {
    public SummaryRequest {
        files = Requests.list(files);
        if (files.isEmpty()) {
            throw new dev.mlops.engine.InputException("summary: name at least one result file (written by a command's --json)");
        }
    }

    public SummaryRequest(List<String> files) {
        this(files, null);
    }

    public SummaryRequest withField(String f) {
        return new SummaryRequest(files, f);
    }
}
