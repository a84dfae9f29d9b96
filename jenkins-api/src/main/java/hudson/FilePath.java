package hudson;

import hudson.remoting.VirtualChannel;
import org.jenkinsci.remoting.RoleSensitive;
import org.jenkinsci.remoting.SerializableOnlyOverRemoting;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;

public final class FilePath implements SerializableOnlyOverRemoting {
    public FilePath(VirtualChannel channel, String remote) {
    }

    public FilePath(File localPath) {
    }

    public FilePath(FilePath base, String rel) {
    }

    public String getRemote() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public String getName() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public FilePath child(String relOrAbsolute) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public FilePath getParent() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public <T> T act(final FileCallable<T> callable) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public boolean exists() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void mkdirs() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public boolean delete() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void deleteRecursive() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void chmod(final int mask) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void write(final String content, final String encoding) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void copyFrom(InputStream in) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void unzipFrom(InputStream in) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public void renameTo(final FilePath target) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public FilePath createTempFile(final String prefix, final String suffix) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public FilePath createTempDir(final String prefix, final String suffix) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public interface FileCallable<T> extends Serializable, RoleSensitive {
        T invoke(File f, VirtualChannel channel) throws IOException, InterruptedException;
    }
}
