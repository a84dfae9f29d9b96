package dev.mlops.engine.deploy;

import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The state folder of one local environment ({@code .mlops/local/<app>/<environment>/}, mode 0700): what each color
 * runs ({@code blue.json}, {@code green.json}), the proxy ({@code proxy.json}), the proxy's admin secret
 * ({@code proxy.secret}, mode 0600), and beside them the ledger and the lock. Every file is written atomically and
 * validated when read: a file that does not parse or breaks a rule is reported as {@link Read#corrupt}, never
 * silently taken as "nothing deployed".
 */
public final class LocalState {
    /** The environment variable every process we start carries: its {@link Marker} as JSON (see LocalRecovery). */
    public static final String MARKER_ENV = "MLOPS_LOCAL_STATE";
    public static final String PROXY_FILE = "proxy.json";
    public static final String SECRET_FILE = "proxy.secret";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** One color's process, as recorded in {@code <color>.json}; {@code pid} -1 when stopped. */
    public record Proc(long pid, String started, int port, String releaseId, String image, String modelName,
                       String modelVersion, String modelRef, String gitSha, int replicas, Instant scaleDownAt,
                       Integer scaleDownTo) {
        Proc withRun(long newPid, String newStarted, int newReplicas) {
            return new Proc(newPid, newStarted, port, releaseId, image, modelName, modelVersion, modelRef, gitSha,
                    newReplicas, null, null);
        }

        Proc withPort(int newPort) {
            return new Proc(pid, started, newPort, releaseId, image, modelName, modelVersion, modelRef, gitSha, replicas,
                    scaleDownAt, scaleDownTo);
        }

        Proc withScaleDown(Instant at, Integer to) {
            return new Proc(pid, started, port, releaseId, image, modelName, modelVersion, modelRef, gitSha, replicas,
                    at, to);
        }

        String problem() {
            if (port < 1 || port > 65535) {
                return "port " + port + " is not in 1..65535";
            }
            if (releaseId == null || releaseId.isBlank() || modelVersion == null || modelName == null) {
                return "releaseId, modelName and modelVersion are required";
            }
            if (replicas < 0 || (pid > 0) != (replicas > 0)) {
                return "pid " + pid + " and replicas " + replicas + " disagree";
            }
            return null;
        }
    }

    /** The proxy, as recorded in {@code proxy.json}; {@code upstreamPort} is the active color's port. */
    public record ProxyState(long pid, String started, int publicPort, int adminPort, Color active, String releaseId,
                             int upstreamPort) {
        String problem() {
            if (active == null) {
                return "active color is missing";
            }
            if (publicPort < 1 || publicPort > 65535 || upstreamPort < 0 || upstreamPort > 65535) {
                return "publicPort must be in 1..65535 and upstreamPort in 0..65535 (0: unknown)";
            }
            if (pid > 0 && (adminPort < 1 || adminPort > 65535)) {
                return "adminPort " + adminPort + " is not in 1..65535";
            }
            return null;
        }
    }

    /** What a process we started says about itself (in {@link #MARKER_ENV}); role is a color id or "proxy". */
    public record Marker(String dir, String role, int port, int adminPort, String releaseId, String image,
                         String modelName, String modelVersion, String modelRef, String gitSha) {
    }

    /** A state file as read: missing, valid, or corrupt with the reason. */
    public record Read<T>(T value, String corrupt) {
        public boolean missing() {
            return value == null && corrupt == null;
        }

        public Optional<T> valid() {
            return Optional.ofNullable(value);
        }
    }

    private final Path dir;

    public LocalState(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Creates the folder owner-only (0700) where the file system has POSIX permissions. */
    void create() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (POSIX) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException e) {
            throw new InputException("local target: cannot create state folder " + dir + ": " + e.getMessage());
        }
    }

    Path file(String name) {
        return dir.resolve(name);
    }

    static String procFile(Color c) {
        return c.id() + ".json";
    }

    Read<Proc> proc(Color c) {
        return read(procFile(c), Proc.class);
    }

    Read<ProxyState> proxy() {
        return read(PROXY_FILE, ProxyState.class);
    }

    void write(Color c, Proc p) {
        writeJson(procFile(c), p);
    }

    void write(ProxyState p) {
        writeJson(PROXY_FILE, p);
    }

    void delete(String name) {
        try {
            Files.deleteIfExists(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(name) + ": " + e.getMessage(), e);
        }
    }

    private <T> Read<T> read(String name, Class<T> type) {
        Path f = file(name);
        if (!Files.isRegularFile(f)) {
            return new Read<>(null, null);
        }
        try {
            T v = DeployJson.MAPPER.readValue(f.toFile(), type);
            String problem = v == null ? "empty"
                    : v instanceof Proc p ? p.problem() : v instanceof ProxyState ps ? ps.problem() : null;
            return problem == null ? new Read<>(v, null) : new Read<>(null, problem);
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Read<>(null, m.lines().findFirst().orElse(m));
        }
    }

    void writeJson(String name, Object value) {
        AtomicFiles.writeString(file(name), DeployJson.write(value));
    }

    /**
     * Copies a corrupt file to {@code <name>.corrupt-<time>} (once per distinct content) and returns the copy. The
     * original stays until the true state is recovered, so a retry after a failed recovery fails the same way.
     */
    Path keepAside(String name, Instant now) {
        Path f = file(name);
        try {
            byte[] bytes = Files.readAllBytes(f);
            try (var siblings = Files.list(dir)) {
                for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(name + ".corrupt-")).toList()) {
                    if (java.util.Arrays.equals(Files.readAllBytes(p), bytes)) {
                        return p;
                    }
                }
            }
            Path aside = file(name + ".corrupt-" + stamp(now));
            Files.copy(f, aside, StandardCopyOption.REPLACE_EXISTING);
            return aside;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep a copy of " + f + ": " + e.getMessage(), e);
        }
    }

    /** UTC time as {@code yyyyMMddTHHmmssZ}, for names of kept copies. */
    static String stamp(Instant t) {
        return STAMP.format(t);
    }

    /**
     * The proxy's admin secret, created on first use (32 random bytes, hex) in a file only the owner can read. A
     * secret file others could read is replaced: the proxy reads it on every admin call, so rotation needs no restart.
     */
    Secret secret() {
        Path f = file(SECRET_FILE);
        try {
            if (Files.isRegularFile(f) && ownerOnly(f)) {
                String s = Files.readString(f, StandardCharsets.UTF_8).trim();
                if (s.length() >= 32) {
                    return Secret.of(s);
                }
            }
            byte[] b = new byte[32];
            new SecureRandom().nextBytes(b);
            String s = HexFormat.of().formatHex(b);
            AtomicFiles.writePrivate(f, s.getBytes(StandardCharsets.UTF_8));
            return Secret.of(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the proxy secret " + f + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the admin secret of the environment folder {@code dir} for the proxy; empty when the file is missing or
     * others could read it (then no admin call is accepted).
     */
    public static Optional<Secret> readSecret(Path dir) {
        Path f = dir.resolve(SECRET_FILE);
        try {
            if (!Files.isRegularFile(f) || !ownerOnly(f)) {
                return Optional.empty();
            }
            String s = Files.readString(f, StandardCharsets.UTF_8).trim();
            return s.length() >= 32 ? Optional.of(Secret.of(s)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static boolean ownerOnly(Path f) throws IOException {
        if (!POSIX) {
            return true;
        }
        Set<PosixFilePermission> p = Files.getPosixFilePermissions(f);
        p.removeAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        return p.isEmpty();
    }

    /**
     * The ports of the colors of {@code dir} whose recorded process is alive: the only upstreams the proxy of this
     * environment may be switched to. Unreadable files count as no color.
     */
    public static Set<Integer> livePorts(Path dir) {
        LocalState st = new LocalState(dir);
        Set<Integer> out = new HashSet<>();
        for (Color c : Color.values()) {
            st.proc(c).valid().filter(p -> ProcessIdentity.alive(p.pid(), p.started())).ifPresent(p -> out.add(p.port()));
        }
        return out;
    }
}
