package dev.mlops.engine.testing;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Named pipes for tests of "a file that is not a file": reading one blocks until a writer comes, i.e. forever. */
public final class Fifos {
    private Fifos() {
    }

    /** Creates a FIFO at {@code path} with mkfifo(1); the test is skipped where there is none (Windows). */
    public static Path make(Path path) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", path.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            Assumptions.abort("mkfifo is not available: " + e.getMessage());
            return path;
        }
        Assumptions.assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo failed");
        Assumptions.assumeTrue(Files.exists(path) && !Files.isRegularFile(path), "no FIFO was made");
        return path;
    }
}
