package dev.mlops.jenkins.testing;

import hudson.model.TaskListener;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A build log in memory; echoes to stdout so a failing test shows what the build would have shown. */
public final class RecordingListener implements TaskListener {
    private static final long serialVersionUID = 1L;
    private final transient ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final transient PrintStream logger = new PrintStream(new java.io.OutputStream() {
        @Override
        public void write(int b) {
            synchronized (bytes) {
                bytes.write(b);
            }
            System.out.write(b);
        }
    }, true, StandardCharsets.UTF_8);

    @Override
    public PrintStream getLogger() {
        return logger;
    }

    @Override
    public PrintWriter error(String msg) {
        logger.println("ERROR: " + msg);
        return new PrintWriter(logger, true);
    }

    public String log() {
        logger.flush();
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
