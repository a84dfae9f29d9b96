package dev.mlops.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags a model server process starts with, from {@code jvm.options} beside this class: the same file
 * {@code ./mlops serve} and the container image pass to {@code java} as an @argfile, so a locally deployed color runs
 * exactly as a pod does.
 */
public final class ServerJvm {
    private ServerJvm() {
    }

    /** The flags, in order; {@code #} starts a comment, as in a java @argfile. */
    public static List<String> flags() {
        try (InputStream in = ServerJvm.class.getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is missing from the serve jar");
            }
            List<String> flags = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int hash = line.indexOf('#');
                String text = (hash >= 0 ? line.substring(0, hash) : line).strip();
                for (String flag : text.split("\\s+")) {
                    if (!flag.isEmpty()) {
                        flags.add(flag);
                    }
                }
            }
            return flags;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read jvm.options from the serve jar", e);
        }
    }
}
