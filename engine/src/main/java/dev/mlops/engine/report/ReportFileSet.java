package dev.mlops.engine.report;

import java.nio.file.Path;
import java.util.List;

/** Where {@link ReportFiles#write} put a report: {@code <base>.json}, {@code <base>.junit.xml}, {@code <base>.md}. */
public record ReportFileSet(Path json, Path junitXml, Path markdown) {
    public List<Path> all() {
        return List.of(json, junitXml, markdown);
    }
}
