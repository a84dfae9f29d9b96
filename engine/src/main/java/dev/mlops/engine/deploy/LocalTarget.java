package dev.mlops.engine.deploy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Blue and green as two model-server processes on local ports, behind a reverse-proxy process on the app's public
 * port whose upstream is switched with one admin call ({@code PUT /-/upstream} on a 127.0.0.1 admin port). The
 * processes outlive the command that started them; their pids, ports and releases live in JSON files under the state
 * folder, with the ledger ({@code releases.json}) and the lock ({@code deploy.lock}).
 */
public final class LocalTarget implements Target {
    static final String LOOPBACK = "127.0.0.1";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /**
     * {@code serverCommand} starts one model server; placeholders {port}, {model} (the model reference), {name},
     * {version}, {sha}, {image}, {color}, {app}. {@code proxyCommand} starts the proxy; placeholders {port} (public),
     * {adminPort}, {upstream}. {@code startTimeout} bounds waiting for the proxy's admin port.
     */
    public record Config(Path stateDir, int publicPort, List<String> serverCommand, List<String> proxyCommand,
                         Duration startTimeout) {
        public Config {
            if (serverCommand == null || serverCommand.isEmpty()) {
                throw new InputException("local target: a server command is required");
            }
            if (proxyCommand == null || proxyCommand.isEmpty()) {
                throw new InputException("local target: a proxy command is required");
            }
            if (publicPort < 1 || publicPort > 65535) {
                throw new InputException("local target: public port must be in 1..65535, got " + publicPort);
            }
            serverCommand = List.copyOf(serverCommand);
            proxyCommand = List.copyOf(proxyCommand);
            startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
        }
    }

    /** One color's process, as recorded in {@code <color>.json}. */
    record Proc(long pid, String started, int port, String releaseId, String image, String modelName,
                String modelVersion, String modelRef, String gitSha, int replicas) {
    }

    /** The proxy, as recorded in {@code proxy.json}. */
    record ProxyState(long pid, String started, int publicPort, int adminPort, Color active, String releaseId) {
    }

    private final String app;
    private final Config cfg;
    private final ServerClient client;
    private final Log log;
    private final Clock clock;
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Color, Process> children = new EnumMap<>(Color.class);
    private final FileLedger ledger = new FileLedger();
    private final FileLock lock = new FileLock();
    private Color preview;

    public LocalTarget(String app, Config cfg, ServerClient client, Log log, Clock clock) {
        this.app = app;
        this.cfg = cfg;
        this.client = client;
        this.log = log;
        this.clock = clock;
        try {
            Files.createDirectories(cfg.stateDir());
        } catch (IOException e) {
            throw new InputException("local target: cannot create state folder " + cfg.stateDir() + ": " + e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "local processes under " + cfg.stateDir() + ", public port " + cfg.publicPort();
    }

    @Override
    public Lock lock() {
        return lock;
    }

    @Override
    public Ledger ledger() {
        return ledger;
    }

    @Override
    public Optional<Color> activeColor() {
        return readJson(cfg.stateDir().resolve("proxy.json"), ProxyState.class).map(ProxyState::active);
    }

    @Override
    public Optional<SlotState> slot(Color color) {
        return proc(color).map(p -> new SlotState(color, p.releaseId(), p.image(), p.modelName(), p.modelVersion(),
                p.replicas(), alive(p.pid(), p.started()) ? p.replicas() : 0));
    }

    @Override
    public void prepare(Color color, DeployConfig d, Release release) {
        proc(color).ifPresent(old -> stop(color, old));
        int port = freePort();
        List<String> cmd = fill(cfg.serverCommand(), Map.of("{port}", String.valueOf(port), "{model}", d.modelRef(),
                "{name}", d.modelName(), "{version}", d.modelVersion(), "{sha}", d.gitSha(), "{image}", d.image(),
                "{color}", color.id(), "{app}", app));
        Process p = spawn(cmd, cfg.stateDir().resolve(color.id() + ".log"));
        children.put(color, p);
        writeJson(procFile(color), new Proc(p.pid(), startedOf(p.pid()), port, release.id(), d.image(), d.modelName(),
                d.modelVersion(), d.modelRef(), d.gitSha(), d.replicas()));
        preview = color;
    }

    @Override
    public Readiness readiness(Color color, int minAvailable) {
        Optional<Proc> p = proc(color);
        if (p.isEmpty() || p.get().replicas() == 0) {
            return Readiness.pending(color.id() + " is not running");
        }
        Process child = children.get(color);
        if (child != null && !child.isAlive()) {
            return Readiness.hopeless("server process " + child.pid() + " exited with code " + child.exitValue()
                    + "; last lines of " + cfg.stateDir().resolve(color.id() + ".log") + ":\n" + tail(color));
        }
        if (!alive(p.get().pid(), p.get().started())) {
            return Readiness.hopeless("server process " + p.get().pid() + " is gone");
        }
        ServerClient.Reply r = client.get(base(p.get().port()), "/ready");
        return r.ok() ? Readiness.ready("/ready answered 200 on port " + p.get().port())
                : Readiness.pending("/ready " + r.describe());
    }

    @Override
    public URI previewEndpoint() {
        Color c = preview;
        if (c == null) {
            throw new IllegalStateException("no color prepared");
        }
        return base(proc(c).orElseThrow().port());
    }

    @Override
    public URI activeEndpoint() {
        return URI.create("http://" + LOOPBACK + ":" + cfg.publicPort());
    }

    /** One admin call to the running proxy; the first deploy (or a dead proxy) starts it pointing at {@code color}. */
    @Override
    public void switchTo(Color color, String releaseId) {
        Proc target = proc(color).orElseThrow(() -> new InfraException("cannot switch to " + color.id()
                + ": it was never started"));
        URI upstream = base(target.port());
        Optional<ProxyState> ps = readJson(cfg.stateDir().resolve("proxy.json"), ProxyState.class)
                .filter(s -> alive(s.pid(), s.started()));
        if (ps.isPresent()) {
            try {
                HttpResponse<String> res = admin.send(HttpRequest.newBuilder(adminUri(ps.get().adminPort()))
                        .timeout(Duration.ofSeconds(5)).PUT(HttpRequest.BodyPublishers.ofString(upstream.toString()))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (res.statusCode() != 200) {
                    throw new InfraException("proxy refused the switch to " + upstream + ": HTTP " + res.statusCode()
                            + " " + res.body());
                }
            } catch (IOException e) {
                throw new InfraException("proxy admin port " + ps.get().adminPort() + " unreachable: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while switching");
            }
            writeJson(cfg.stateDir().resolve("proxy.json"), new ProxyState(ps.get().pid(), ps.get().started(),
                    ps.get().publicPort(), ps.get().adminPort(), color, releaseId));
            return;
        }
        int adminPort = freePort();
        List<String> cmd = fill(cfg.proxyCommand(), Map.of("{port}", String.valueOf(cfg.publicPort()),
                "{adminPort}", String.valueOf(adminPort), "{upstream}", upstream.toString()));
        Process p = spawn(cmd, cfg.stateDir().resolve("proxy.log"));
        Instant deadline = clock.instant().plus(cfg.startTimeout());
        while (!adminAnswers(adminPort)) {
            if (!p.isAlive()) {
                throw new InfraException("proxy exited with code " + p.exitValue() + " (public port " + cfg.publicPort()
                        + " in use?); see " + cfg.stateDir().resolve("proxy.log"));
            }
            if (!clock.instant().isBefore(deadline)) {
                p.destroy();
                throw new InfraException("proxy did not open its admin port within " + cfg.startTimeout().toSeconds() + " s");
            }
            Sleeper.REAL.sleep(Duration.ofMillis(50));
        }
        writeJson(cfg.stateDir().resolve("proxy.json"), new ProxyState(p.pid(), startedOf(p.pid()), cfg.publicPort(),
                adminPort, color, releaseId));
        log.info("proxy: started on port " + cfg.publicPort() + " (admin 127.0.0.1:" + adminPort + ", pid " + p.pid() + ")");
    }

    /** A local color is one process: 0 stops it, any other count is recorded (and restarts a stopped color). */
    @Override
    public void scale(Color color, int replicas) {
        Optional<Proc> p = proc(color);
        if (p.isEmpty()) {
            return;
        }
        Proc cur = p.get();
        if (replicas == 0) {
            stop(color, cur);
            writeJson(procFile(color), new Proc(-1, null, cur.port(), cur.releaseId(), cur.image(), cur.modelName(),
                    cur.modelVersion(), cur.modelRef(), cur.gitSha(), 0));
        } else {
            writeJson(procFile(color), new Proc(cur.pid(), cur.started(), cur.port(), cur.releaseId(), cur.image(),
                    cur.modelName(), cur.modelVersion(), cur.modelRef(), cur.gitSha(), replicas));
        }
    }

    /** Stops both colors and the proxy (for {@code mlops undeploy}-style cleanup and tests). */
    public void stopAll() {
        for (Color c : Color.values()) {
            proc(c).ifPresent(p -> stop(c, p));
        }
        readJson(cfg.stateDir().resolve("proxy.json"), ProxyState.class).ifPresent(s -> stopPid(s.pid(), s.started()));
    }

    @Override
    public void close() {
        // Children keep running on purpose: they serve after this command exits.
    }

    // ---------------------------------------------------------------------------------------------------------

    private void stop(Color color, Proc p) {
        Process child = children.remove(color);
        if (child != null) {
            child.destroy();
            try {
                if (!child.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        stopPid(p.pid(), p.started());
    }

    /** SIGTERM (the server drains), then SIGKILL after the grace period; only the very process we started. */
    private static void stopPid(long pid, String started) {
        if (pid <= 0 || !alive(pid, started)) {
            return;
        }
        ProcessHandle.of(pid).ifPresent(h -> {
            h.destroy();
            try {
                h.onExit().get(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                h.destroyForcibly();
            }
        });
    }

    /** Alive and the same process (a recycled pid has another start time). */
    private static boolean alive(long pid, String started) {
        if (pid <= 0) {
            return false;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> started == null || h.info().startInstant().map(Instant::toString).orElse("").equals(started))
                .orElse(false);
    }

    private static String startedOf(long pid) {
        return ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).map(Instant::toString).orElse(null);
    }

    private Process spawn(List<String> cmd, Path logFile) {
        try {
            return new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        } catch (IOException e) {
            throw new InputException("local target: cannot start '" + cmd.get(0) + "': " + e.getMessage());
        }
    }

    private String tail(Color c) {
        try {
            List<String> lines = Files.readAllLines(cfg.stateDir().resolve(c.id() + ".log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private boolean adminAnswers(int port) {
        try {
            HttpResponse<Void> r = admin.send(HttpRequest.newBuilder(adminUri(port)).timeout(Duration.ofSeconds(1))
                    .GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static URI adminUri(int port) {
        return URI.create("http://" + LOOPBACK + ":" + port + "/-/upstream");
    }

    private static URI base(int port) {
        return URI.create("http://" + LOOPBACK + ":" + port);
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new InfraException("no free local port: " + e.getMessage());
        }
    }

    private static List<String> fill(List<String> template, Map<String, String> values) {
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

    private Path procFile(Color c) {
        return cfg.stateDir().resolve(c.id() + ".json");
    }

    private Optional<Proc> proc(Color c) {
        return readJson(procFile(c), Proc.class);
    }

    private <T> Optional<T> readJson(Path file, Class<T> type) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(DeployJson.MAPPER.readValue(file.toFile(), type));
        } catch (IOException e) {
            log.warn("ignoring unreadable state file " + file + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    private static void writeJson(Path file, Object value) {
        AtomicFiles.writeString(file, DeployJson.write(value));
    }

    /** {@code releases.json}, replaced atomically on every write. */
    private final class FileLedger implements Ledger {
        private Path file() {
            return cfg.stateDir().resolve("releases.json");
        }

        @Override
        public List<Release> read() {
            if (!Files.isRegularFile(file())) {
                return List.of();
            }
            try {
                List<Release> r = Json.MAPPER.readValue(file().toFile(), new TypeReference<>() {
                });
                if (r.stream().anyMatch(x -> x == null || x.id() == null || x.color() == null || x.outcome() == null)) {
                    throw new IOException("an entry lacks id, color or outcome");
                }
                return r;
            } catch (IOException e) {
                log.warn("ledger " + file() + " is corrupt (" + e.getMessage().lines().findFirst().orElse("")
                        + "); starting a new history, the next write replaces it");
                return List.of();
            }
        }

        @Override
        public void write(List<Release> releases) {
            writeJson(file(), releases);
        }

        @Override
        public String describe() {
            return file().toString();
        }
    }

    /**
     * {@code deploy.lock} holds the same fields as the Kubernetes Lease. Reads and writes of it happen under an OS file
     * lock on {@code deploy.lock.guard}, so two processes cannot both take an expired lock.
     */
    private final class FileLock implements Lock {
        private Path file() {
            return cfg.stateDir().resolve("deploy.lock");
        }

        private <T> T guarded(Supplier<T> body) {
            try (FileChannel ch = FileChannel.open(cfg.stateDir().resolve("deploy.lock.guard"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 var ignored = ch.lock()) {
                return body.get();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + file() + ": " + e.getMessage(), e);
            }
        }

        private Optional<LockInfo> read() {
            return readJson(file(), LockInfo.class);
        }

        @Override
        public LockInfo acquire(String holder, String buildUrl, Duration ttl) {
            return guarded(() -> {
                Instant now = clock.instant();
                Optional<LockInfo> cur = read();
                if (cur.isPresent() && cur.get().expiresAt().isAfter(now)) {
                    throw new InfraException("another deploy of " + app + " is running: the lock is held by "
                            + cur.get().describe() + " (" + file() + ")");
                }
                cur.ifPresent(c -> log.warn("taking over the expired deploy lock of " + c.describe()));
                LockInfo mine = new LockInfo(holder, buildUrl, UUID.randomUUID().toString().substring(0, 8), now,
                        now.plus(ttl));
                writeJson(file(), mine);
                return mine;
            });
        }

        @Override
        public LockInfo renew(LockInfo held, Duration ttl) {
            return guarded(() -> {
                Optional<LockInfo> cur = read();
                if (cur.isEmpty() || !cur.get().token().equals(held.token())) {
                    throw new InfraException("the deploy lock of " + app + " was taken over"
                            + cur.map(c -> " by " + c.describe()).orElse(""));
                }
                LockInfo renewed = new LockInfo(held.holder(), held.buildUrl(), held.token(), held.acquiredAt(),
                        clock.instant().plus(ttl));
                writeJson(file(), renewed);
                return renewed;
            });
        }

        @Override
        public void release(LockInfo held) {
            guarded(() -> {
                if (read().map(c -> c.token().equals(held.token())).orElse(false)) {
                    try {
                        Files.deleteIfExists(file());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                return null;
            });
        }

        @Override
        public Optional<LockInfo> current() {
            return read().filter(c -> c.expiresAt().isAfter(clock.instant()));
        }
    }
}
