package dev.mlops.jenkins.secrets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes the child's log to the build log line by line, with secrets masked, and remembers the last non-blank line
 * (the CLI prints its one-line error last), so a failed step can quote it.
 */
public final class MaskingOutputStream extends OutputStream {
    private static final int MAX_LINE = 64 * 1024;

    private final OutputStream out;
    private final SecretMasker masker;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private volatile String lastLine = "";

    public MaskingOutputStream(OutputStream out, SecretMasker masker) {
        this.out = out;
        this.masker = masker;
    }

    @Override
    public synchronized void write(int b) throws IOException {
        line.write(b);
        if (b == '\n' || line.size() >= MAX_LINE) {
            eol();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    private void eol() throws IOException {
        String text = masker.mask(line.toString(StandardCharsets.UTF_8));
        line.reset();
        String trimmed = text.strip();
        if (!trimmed.isEmpty()) {
            lastLine = trimmed;
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Lines are written as they end; a line still open stays buffered until its newline or {@link #close}. */
    @Override
    public synchronized void flush() throws IOException {
        out.flush();
    }

    /** Writes out a last line that had no newline; never closes the build log itself. */
    @Override
    public synchronized void close() throws IOException {
        if (line.size() > 0) {
            line.write('\n');
            eol();
        }
        out.flush();
    }

    public String lastLine() {
        return lastLine;
    }
}
