package dev.mlops.engine.api;

import dev.mlops.engine.tracking.RecordingLog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/** The bundled breast-cancer example copied into a test folder, and an engine working there. */
final class Example {
    private Example() {
    }

    /** Copies examples/breast-cancer (spec and data, nothing generated) into {@code dir}; returns the spec path. */
    static Path copy(Path dir) {
        Path src = Path.of("").toAbsolutePath();
        while (src != null && !Files.isDirectory(src.resolve("examples/breast-cancer/data"))) {
            src = src.getParent();
        }
        if (src == null) {
            throw new IllegalStateException("examples/breast-cancer not found above " + Path.of("").toAbsolutePath());
        }
        src = src.resolve("examples/breast-cancer");
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.copy(src.resolve("mlops.yaml"), dir.resolve("mlops.yaml"));
            try (Stream<Path> files = Files.list(src.resolve("data"))) {
                for (Path f : files.toList()) {
                    Files.copy(f, dir.resolve("data").resolve(f.getFileName()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve("mlops.yaml");
    }

    /** An engine whose working directory is {@code dir}, with the given CI variables and a log the test can read. */
    static EngineContext context(Path dir, RecordingLog log, Map<String, String> ci) {
        return EngineContext.of(dir, log).withCi(ci);
    }
}
