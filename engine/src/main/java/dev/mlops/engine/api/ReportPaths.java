package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mlops.engine.report.ReportFileSet;

import java.io.Serializable;

/** Where a report was written: {@code <base>.json}, {@code <base>.junit.xml} (for CI test trends) and {@code <base>.md}. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"json", "junitXml", "markdown"})
public record ReportPaths(String json, String junitXml, String markdown) implements Serializable {
    static ReportPaths of(ReportFileSet files) {
        return files == null ? null : new ReportPaths(files.json().toString(), files.junitXml().toString(),
                files.markdown().toString());
    }
}
