// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package hudson;

import hudson.remoting.VirtualChannel;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A local FilePath. act() sends the callable through Java serialization, as remoting does on a real agent. */
public final class FilePath implements SerializableOnlyOverRemoting {
    private final String remote;

    public FilePath(VirtualChannel channel, String remote) {
        this.remote = remote;
    }

    public FilePath(File localPath) {
        this.remote = localPath.getPath();
    }

    public FilePath(FilePath base, String rel) {
        this.remote = new File(base.remote, rel).getPath();
    }

    private Path path() {
        return Path.of(remote);
    }

    public String getRemote() {
        return remote;
    }

    public String getName() {
        return path().getFileName().toString();
    }

    public FilePath child(String relOrAbsolute) {
        return new FilePath(path().resolve(relOrAbsolute).toFile());
    }

    public FilePath getParent() {
        Path p = path().getParent();
        return p == null ? null : new FilePath(p.toFile());
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        return roundTrip(callable).invoke(new File(remote), null);
    }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T value) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException(e);
        }
    }

    public boolean exists() throws IOException, InterruptedException {
        return Files.exists(path());
    }

    public void mkdirs() throws IOException, InterruptedException {
        Files.createDirectories(path());
    }

    public boolean delete() throws IOException, InterruptedException {
        return Files.deleteIfExists(path());
    }

    public void deleteRecursive() throws IOException, InterruptedException {
        if (!Files.exists(path())) {
            return;
        }
        try (Stream<Path> all = Files.walk(path())) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    public void chmod(final int mask) throws IOException, InterruptedException {
        Set<PosixFilePermission> perms = EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] order = PosixFilePermission.values(); // OWNER_READ .. OTHERS_EXECUTE
        for (int i = 0; i < 9; i++) {
            if ((mask & (1 << (8 - i))) != 0) {
                perms.add(order[i]);
            }
        }
        Files.setPosixFilePermissions(path(), perms);
    }

    public void write(final String content, final String encoding) throws IOException, InterruptedException {
        Files.createDirectories(path().getParent());
        Files.writeString(path(), content, encoding == null ? Charset.defaultCharset() : Charset.forName(encoding));
    }

    /** As the real one: writes through write(), so an existing file keeps its permissions. */
    public void copyFrom(InputStream in) throws IOException, InterruptedException {
        Files.createDirectories(path().getParent());
        try (java.io.OutputStream out = Files.newOutputStream(path())) {
            in.transferTo(out);
        }
    }

    public void unzipFrom(InputStream in) throws IOException, InterruptedException {
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Path target = path().resolve(e.getName()).normalize();
                if (!target.startsWith(path())) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public void renameTo(final FilePath target) throws IOException, InterruptedException {
        Files.move(path(), target.path());
    }

    public FilePath createTempFile(final String prefix, final String suffix) throws IOException, InterruptedException {
        return new FilePath(Files.createTempFile(path(), prefix, suffix).toFile());
    }

    public FilePath createTempDir(final String prefix, final String suffix) throws IOException, InterruptedException {
        return new FilePath(Files.createTempDirectory(path(), prefix + "tmp").toFile());
    }

    @Override
    public String toString() {
        return remote;
    }

    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
