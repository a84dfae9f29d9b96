package dev.mlops.engine.report;

import dev.mlops.engine.AtomicFiles;

import java.nio.file.Path;
import java.util.Objects;

/** Writes a report in every machine and human format next to each other, each file atomically. */
public final class ReportFiles {
    private ReportFiles() {
    }

    /**
     * Writes {@code <baseName>.json}, {@code <baseName>.junit.xml} (suite named after the report's title) and
     * {@code <baseName>.md} into {@code dir}, creating it if needed. Each file is either complete or absent.
     *
     * @throws IllegalArgumentException if baseName is empty or is not a plain file name
     * @throws java.io.UncheckedIOException if a file cannot be written
     */
    public static ReportFileSet write(CheckReport report, Path dir, String baseName) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(dir, "dir");
        ReportFileSet paths = paths(dir, baseName);
        AtomicFiles.writeString(paths.json(), ReportWriters.json(report));
        AtomicFiles.writeString(paths.junitXml(), ReportWriters.junitXml(report, report.title()));
        AtomicFiles.writeString(paths.markdown(), ReportWriters.markdown(report));
        return paths;
    }

    /** Where {@link #write} puts {@code baseName}'s files in {@code dir}, without writing anything. */
    public static ReportFileSet paths(Path dir, String baseName) {
        if (baseName == null || baseName.isBlank() || baseName.contains("/") || baseName.contains("\\")
                || baseName.equals(".") || baseName.equals("..")) {
            throw new IllegalArgumentException("report base name must be a plain file name, got '" + baseName + "'");
        }
        return new ReportFileSet(dir.resolve(baseName + ".json"), dir.resolve(baseName + ".junit.xml"),
                dir.resolve(baseName + ".md"));
    }
}
