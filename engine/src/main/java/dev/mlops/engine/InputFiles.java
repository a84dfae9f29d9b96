package dev.mlops.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on files a user names, made before opening them. */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Refuses a path that exists but is neither a regular file nor a folder (a FIFO, a device, a socket): reading one
     * blocks until some other process writes, which for a pipeline step means forever. Missing files and folders
     * are left to the caller, whose messages say more.
     *
     * @param expected what the file should be, e.g. "YAML file"
     */
    public static void requireRegular(Path file, String expected) {
        if (Files.exists(file) && !Files.isRegularFile(file) && !Files.isDirectory(file)) {
            throw new InputException(file + ": is not a regular file (a pipe, device or socket); expected a " + expected);
        }
    }
}
