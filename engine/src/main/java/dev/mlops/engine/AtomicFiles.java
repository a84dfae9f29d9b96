package dev.mlops.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes that never leave a half-written file behind: write a sibling temp file, then rename it into place.
 * Artifacts (models, reports, registry files) get the mode any new file gets under the process's umask (0644 under
 * the usual 022), so another user, such as a container's non-root user reading a mounted model, can read them;
 * {@link #writePrivate} is for secrets and is owner-only whatever the umask.
 */
public final class AtomicFiles {
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private AtomicFiles() {
    }

    /** A writer that fills a temp file; the file is moved into place only if the writer returns normally. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(Path temp) throws IOException;
    }

    /** An artifact meant to be shared: mode from the umask. */
    public static void write(Path target, Writer writer) {
        write(target, writer, false);
    }

    public static void writeBytes(Path target, byte[] bytes) {
        write(target, temp -> Files.write(temp, bytes), false);
    }

    public static void writeString(Path target, String text) {
        writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A secret (a token, an admin key): created owner-only (0600), never readable by anyone else, not even briefly. */
    public static void writePrivate(Path target, byte[] bytes) {
        write(target, temp -> Files.write(temp, bytes), true);
    }

    private static void write(Path target, Writer writer, boolean ownerOnly) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            Files.createDirectories(dir);
            temp = createTemp(dir, target.getFileName().toString(), ownerOnly);
            // The mode the temp file was created with: owner-only, or what the umask gives (Java cannot read the umask).
            PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
            Set<PosixFilePermission> mode = posix == null ? null : posix.readAttributes().permissions();
            writer.writeTo(temp);
            if (mode != null) {
                // A writer may have replaced the file (Files.copy keeps the source's mode): restore the intended one.
                Files.setPosixFilePermissions(temp, mode);
            }
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // best effort: the temp name starts with a dot and ends in .tmp, so it is recognisable
                }
            }
        }
    }

    /**
     * A new sibling file. Not {@code Files.createTempFile}: that one is always 0600. A plain create applies the
     * umask like any other program's files; the random name keeps concurrent writers apart.
     */
    private static Path createTemp(Path dir, String name, boolean ownerOnly) throws IOException {
        FileAttribute<?>[] attrs = ownerOnly && Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class)
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)} : new FileAttribute<?>[0];
        for (int attempt = 0; ; attempt++) {
            Path temp = dir.resolve("." + name + "." + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(temp, attrs);
            } catch (FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw e;
                }
            }
        }
    }
}
