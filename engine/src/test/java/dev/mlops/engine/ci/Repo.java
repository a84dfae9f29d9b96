package dev.mlops.engine.ci;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, found from a module's working directory. */
final class Repo {
    private Repo() {
    }

    static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("examples")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }
}
