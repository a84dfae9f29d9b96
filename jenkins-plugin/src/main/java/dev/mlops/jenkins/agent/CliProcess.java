package dev.mlops.jenkins.agent;

import dev.mlops.jenkins.secrets.MaskingOutputStream;
import dev.mlops.jenkins.secrets.SecretMasker;
import hudson.FilePath;
import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One run of the {@code mlops} command line as a child JVM on the agent, through the build's {@link Launcher}: its log
 * (stderr) streams into the build log as it happens, masked; its result (stdout, {@code --json}) is collected, bounded
 * in size. An interrupt (the build was aborted) kills the child before it is passed on.
 */
public final class CliProcess {
    /** The entry point inside the bundle. */
    static final String MAIN = "dev.mlops.cli.Main";
    /** Results are a few kilobytes; a child printing more than this is broken, not a result. */
    static final int MAX_RESULT_BYTES = 8 << 20;
    /** JVM options for the child, as the {@code ./mlops} launcher script reads them. */
    public static final String JAVA_OPTS_ENV = "MLOPS_JAVA_OPTS";

    /** What the child left: its exit code, its stdout, and its last log line (where the CLI states an error). */
    public record Output(int exitCode, byte[] stdout, String lastLogLine) {
    }

    private final String java;
    private final FilePath home;
    private final boolean unix;

    public CliProcess(String java, FilePath home, boolean unix) {
        this.java = java;
        this.home = home;
        this.unix = unix;
    }

    /** The argv: nothing secret is ever part of it. */
    List<String> argv(String command, List<String> args, String javaOpts) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        if (javaOpts != null && !javaOpts.isBlank()) {
            cmd.addAll(Arrays.asList(javaOpts.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(home.child("lib").getRemote() + (unix ? "/*" : "\\*"));
        cmd.add(MAIN);
        cmd.add(command);
        cmd.add("--json");
        cmd.addAll(args);
        return cmd;
    }

    /** How the call appears in the build log: the command a user would type. */
    public static String display(String command, List<String> args) {
        StringBuilder sb = new StringBuilder("mlops ").append(command).append(" --json");
        for (String a : args) {
            sb.append(' ').append(a.isEmpty() || a.matches(".*[\\s'\"$`\\\\].*") ? "'" + a.replace("'", "'\\''") + "'" : a);
        }
        return sb.toString();
    }

    public Output run(Launcher launcher, FilePath workspace, String command, List<String> args, Map<String, String> env,
                      SecretMasker masker, TaskListener listener) throws IOException, InterruptedException {
        BoundedBuffer stdout = new BoundedBuffer(MAX_RESULT_BYTES);
        MaskingOutputStream log = new MaskingOutputStream(listener.getLogger(), masker);
        Proc proc = launcher.launch()
                .cmds(argv(command, args, env.get(JAVA_OPTS_ENV)))
                .envs(env)
                .pwd(workspace)
                .stdout(stdout)
                .stderr(log)
                .quiet(true)
                .start();
        int rc;
        try {
            rc = proc.join();
        } catch (InterruptedException e) {
            proc.kill();
            throw e;
        } finally {
            log.close();
        }
        if (stdout.overflowed()) {
            throw new IOException("mlops " + command + " printed more than " + MAX_RESULT_BYTES + " bytes on stdout");
        }
        return new Output(rc, stdout.toByteArray(), log.lastLine());
    }

    /** Collects up to {@code max} bytes and notes whether more came. */
    static final class BoundedBuffer extends OutputStream {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final int max;
        private boolean overflow;

        BoundedBuffer(int max) {
            this.max = max;
        }

        @Override
        public synchronized void write(int b) {
            if (buf.size() < max) {
                buf.write(b);
            } else {
                overflow = true;
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            int room = Math.max(0, Math.min(len, max - buf.size()));
            buf.write(b, off, room);
            if (room < len) {
                overflow = true;
            }
        }

        synchronized boolean overflowed() {
            return overflow;
        }

        synchronized byte[] toByteArray() {
            return buf.toByteArray();
        }
    }
}
