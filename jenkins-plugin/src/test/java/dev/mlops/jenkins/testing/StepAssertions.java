package dev.mlops.jenkins.testing;

import hudson.AbortException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** What every step test checks the same way. */
public final class StepAssertions {
    private StepAssertions() {
    }

    /** A step failure a user reads: an AbortException (Jenkins prints it as one ERROR line, no trace). */
    public static String oneLineFailure(Throwable t, String function) {
        assertThat(t).isInstanceOf(AbortException.class);
        String m = t.getMessage();
        assertThat(m).startsWith(function + ": ").doesNotContain("\n").doesNotContain("Exception");
        return m;
    }

    public static void noStackTrace(String log) {
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception in thread").doesNotContain("Caused by:");
    }

    /** Every file of a folder with its size and modification time: "nothing written" means this did not change. */
    public static TreeMap<String, String> snapshot(Path dir) {
        TreeMap<String, String> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                files.put(dir.relativize(p).toString(), Files.isDirectory(p) ? "dir"
                        : Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the installed command line directly (to stop local apps a test started, or to read status). */
    public static String cli(Path agentRoot, Path workspace, String... args) throws Exception {
        Path lib;
        try (Stream<Path> homes = Files.list(agentRoot.resolve("tools").resolve("mlops-cli"))) {
            lib = homes.filter(h -> Files.exists(h.resolve(".installed"))).findFirst().orElseThrow().resolve("lib");
        }
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", lib + "/*", "dev.mlops.cli.Main"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(workspace.toFile()).redirectErrorStream(false)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(2, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        return out;
    }
}
