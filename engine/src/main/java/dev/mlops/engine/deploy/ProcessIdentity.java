package dev.mlops.engine.deploy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Which process holds a deploy lock: pid, machine and the process's start time. The machine is the host name plus,
 * where Linux shows it, the pid namespace, so two containers sharing a host name never judge each other's pids.
 * With the start time a recycled pid is not mistaken for the holder.
 */
public record ProcessIdentity(long pid, String machine, String started) {

    private static final ProcessIdentity CURRENT = new ProcessIdentity(ProcessHandle.current().pid(), thisMachine(),
            startOf(ProcessHandle.current().pid()));

    public static ProcessIdentity current() {
        return CURRENT;
    }

    /** True only when {@code this} names a process on this machine that no longer runs. Unknown means alive. */
    public boolean goneHere() {
        if (pid <= 0 || machine == null || !machine.equals(CURRENT.machine)) {
            return false;
        }
        return !alive(pid, started);
    }

    public String describe() {
        return "pid " + pid + " on " + machine;
    }

    /** Alive and the same process (a recycled pid has another start time). */
    static boolean alive(long pid, String started) {
        if (pid <= 0) {
            return false;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> started == null || h.info().startInstant().map(Instant::toString).orElse(started).equals(started))
                .orElse(false);
    }

    static String startOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toString).orElse(null);
    }

    private static String thisMachine() {
        String host = read(Path.of("/proc/sys/kernel/hostname"));
        if (host == null) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                host = "unknown-host";
            }
        }
        try {
            Path ns = Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
            return host + "/" + ns;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return host;
        }
    }

    private static String read(Path p) {
        try {
            String s = Files.readString(p).trim();
            return s.isEmpty() ? null : s;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
