package dev.mlops.engine.deploy;

import dev.mlops.engine.InputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starting, stopping and finding the processes of the local target. Every process we start carries its
 * {@link LocalState.Marker} in {@link LocalState#MARKER_ENV}, so the truth survives a lost or corrupt state file:
 * {@link #scan} finds them again (Linux: {@code /proc/<pid>/environ}, readable only by their owner).
 */
final class LocalProcesses {
    static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final Path PROC = Path.of("/proc");

    private LocalProcesses() {
    }

    /**
     * Starts {@code cmd} with its output in a fresh {@code logFile} (the previous run's log is kept as
     * {@code <log>.prev}), so an error quotes this run only.
     */
    static Process spawn(List<String> cmd, Path logFile, LocalState.Marker marker) {
        try {
            if (Files.exists(logFile)) {
                Files.move(logFile, logFile.resolveSibling(logFile.getFileName() + ".prev"),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.to(logFile.toFile()));
            pb.environment().put(LocalState.MARKER_ENV, DeployJson.compact(marker));
            return pb.start();
        } catch (IOException e) {
            throw new InputException("local target: cannot start '" + cmd.get(0) + "': " + e.getMessage());
        }
    }

    /** SIGTERM (the server drains), then SIGKILL after the grace period; only the very process we started. */
    static void stop(long pid, String started) {
        if (pid <= 0 || !ProcessIdentity.alive(pid, started)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                h.destroyForcibly();
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    static void stop(Process child) {
        child.destroy();
        try {
            if (!child.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                child.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            child.destroyForcibly();
        }
    }

    /** Whether {@link #scan} can see other processes' markers here. */
    static boolean canScan() {
        return Files.isReadable(PROC.resolve("self").resolve("environ"));
    }

    /** Live processes (pid, start time, marker) whose marker names the state folder {@code dir}. */
    static List<Found> scan(Path dir) {
        String want = dir.toAbsolutePath().normalize().toString();
        String prefix = LocalState.MARKER_ENV + "=";
        List<Found> out = new ArrayList<>();
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(h -> {
            byte[] env;
            try {
                env = Files.readAllBytes(PROC.resolve(Long.toString(h.pid())).resolve("environ"));
            } catch (IOException | SecurityException e) {
                return; // someone else's process, or gone
            }
            for (String kv : new String(env, StandardCharsets.UTF_8).split("\0")) {
                if (kv.startsWith(prefix)) {
                    try {
                        LocalState.Marker m = DeployJson.MAPPER.readValue(kv.substring(prefix.length()),
                                LocalState.Marker.class);
                        if (want.equals(m.dir())) {
                            out.add(new Found(h.pid(), ProcessIdentity.startOf(h.pid()), m));
                        }
                    } catch (IOException e) {
                        // not ours after all
                    }
                }
            }
        });
        return out;
    }

    record Found(long pid, String started, LocalState.Marker marker) {
    }

    static List<String> fill(List<String> template, Map<String, String> values) {
        List<String> out = new ArrayList<>();
        for (String t : template) {
            String s = t;
            for (Map.Entry<String, String> e : values.entrySet()) {
                s = s.replace(e.getKey(), e.getValue() == null ? "" : e.getValue());
            }
            out.add(s);
        }
        return out;
    }
}
