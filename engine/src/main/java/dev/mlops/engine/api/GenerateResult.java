package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;

/** What {@code generate} wrote: every file with {@code written} (changed on disk) or {@code unchanged}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"platform", "spec", "files", "exitCode"})
public record GenerateResult(String platform, String spec, List<File> files, int exitCode) implements EngineResult {
    public GenerateResult {
        files = Results.list(files);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"path", "action"})
    public record File(String path, String action) implements Serializable {
    }
}
