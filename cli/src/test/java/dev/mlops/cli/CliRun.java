package dev.mlops.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Runs the CLI in-process and captures what a user would see on stdout and stderr. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    /** Copies the bundled example (spec and data, nothing generated) into {@code dir}; returns the spec path. */
    static Path copyExample(Path dir) {
        Path src = Path.of("..", "examples", "breast-cancer").toAbsolutePath().normalize();
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

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
    }
}
