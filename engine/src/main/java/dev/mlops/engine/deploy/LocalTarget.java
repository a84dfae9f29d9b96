package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.Log;
import dev.mlops.engine.Secret;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Blue and green as two model-server processes on local ports, behind a reverse-proxy process on the environment's
 * public port whose upstream is switched with one authenticated admin call ({@code PUT /-/upstream} on a 127.0.0.1
 * admin port, with the secret from the state folder). Each environment (production, staging) has its own state
 * folder {@code <stateDir>/<environment>/} and so its own proxy, lock and ledger. The processes outlive the command
 * that started them; {@link LocalState} holds what they are.
 */
public final class LocalTarget implements Target {
    static final String LOOPBACK = "127.0.0.1";
    public static final String PRODUCTION = "production";
    public static final String STAGING = "staging";
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z][a-z0-9-]{0,30}");
    private static final List<String> STATE_FILES = List.of("blue.json", "green.json", "proxy.json", "releases.json",
            "deploy.lock");

    /**
     * {@code stateDir} is the app's folder; the environment's state lives in {@code stateDir/environment}.
     * {@code serverCommand} starts one model server; placeholders {port}, {model} (the model reference), {name},
     * {version}, {sha}, {image}, {color}, {app}. {@code proxyCommand} starts the proxy; placeholders {port} (public),
     * {adminPort}, {upstream} and {stateDir} (required: the proxy reads its admin secret and the upstreams it may
     * switch to from there). {@code startTimeout} bounds waiting for the proxy's admin port.
     */
    public record Config(Path stateDir, String environment, int publicPort, List<String> serverCommand,
                         List<String> proxyCommand, Duration startTimeout) {
        public Config {
            environment = environment == null ? PRODUCTION : environment;
            if (!ENVIRONMENT.matcher(environment).matches()) {
                throw new InputException("local target: environment must be lower-case letters, digits and '-' "
                        + "(production, staging), got '" + environment + "'");
            }
            if (serverCommand == null || serverCommand.isEmpty()) {
                throw new InputException("local target: a server command is required");
            }
            if (proxyCommand == null || proxyCommand.isEmpty()) {
                throw new InputException("local target: a proxy command is required");
            }
            if (proxyCommand.stream().noneMatch(a -> a.contains("{stateDir}"))) {
                throw new InputException("local target: the proxy command must pass {stateDir} (the proxy reads its "
                        + "admin secret there)");
            }
            if (publicPort < 1 || publicPort > 65535) {
                throw new InputException("local target: public port must be in 1..65535, got " + publicPort);
            }
            serverCommand = List.copyOf(serverCommand);
            proxyCommand = List.copyOf(proxyCommand);
            startTimeout = startTimeout == null ? Duration.ofSeconds(30) : startTimeout;
        }
    }

    private final String app;
    private final Config cfg;
    private final ServerClient client;
    private final Log log;
    private final Clock clock;
    private final LocalState state;
    private final HttpClient admin = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<Color, Process> children = new EnumMap<>(Color.class);
    private final FileLedger ledger;
    private final FileLock lock;
    private Color preview;
    private boolean loaded;

    public LocalTarget(String app, Config cfg, ServerClient client, Log log, Clock clock) {
        this.app = app;
        this.cfg = cfg;
        this.client = client;
        this.log = log;
        this.clock = clock;
        this.state = new LocalState(cfg.stateDir().resolve(cfg.environment()));
        migrateOldLayout();
        state.create();
        this.ledger = new FileLedger(state, log, clock);
        this.lock = new FileLock(state.dir(), app, log, clock);
    }

    /** Before environments had folders, production's files lay in the app folder itself: move them in once. */
    private void migrateOldLayout() {
        if (!cfg.environment().equals(PRODUCTION) || Files.isDirectory(state.dir())) {
            return;
        }
        List<String> old = STATE_FILES.stream().filter(f -> Files.isRegularFile(cfg.stateDir().resolve(f))).toList();
        if (old.isEmpty()) {
            return;
        }
        state.create();
        for (String f : old) {
            try {
                Files.move(cfg.stateDir().resolve(f), state.file(f), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new InfraException("local target: cannot move " + f + " into " + state.dir() + ": " + e.getMessage());
            }
        }
        log.warn("local target: moved production's state " + old + " from " + cfg.stateDir() + " into " + state.dir()
                + " (each environment now has its own folder)");
    }

    /** The environment's state folder. */
    public Path stateDir() {
        return state.dir();
    }

    @Override
    public String describe() {
        return "local " + cfg.environment() + " environment of " + app + " under " + state.dir() + ", public port "
                + cfg.publicPort();
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
        load();
        return proxyState().map(LocalState.ProxyState::active);
    }

    @Override
    public Optional<SlotState> slot(Color color) {
        load();
        return proc(color).map(p -> new SlotState(color, p.releaseId(), p.image(), p.modelName(), p.modelVersion(),
                p.replicas(), ProcessIdentity.alive(p.pid(), p.started()) ? p.replicas() : 0, p.scaleDownAt(),
                p.scaleDownTo()));
    }

    /**
     * Before anything starts: a model file the local server will load must exist, and the public port must not be
     * another environment's.
     */
    @Override
    public void preflight(DeployConfig d) {
        boolean ownProxyRuns = state.proxy().valid().map(p -> ProcessIdentity.alive(p.pid(), p.started())).orElse(false);
        if (!ownProxyRuns) {
            checkPortFree();
        }
        if (!d.modelRef().startsWith("models:/") && !Files.exists(Path.of(d.modelRef()))) {
            throw new InputException("deploy: model file " + Path.of(d.modelRef()).toAbsolutePath()
                    + " does not exist; nothing was started");
        }
    }

    @Override
    public void prepare(Color color, DeployConfig d, Release release) {
        load();
        proc(color).ifPresent(old -> stopColor(color, old));
        LocalState.Proc p = new LocalState.Proc(-1, null, freePort(), release.id(), d.image(), d.modelName(),
                d.modelVersion(), d.modelRef(), d.gitSha(), d.replicas(), null, null);
        start(color, p, d.replicas());
        preview = color;
    }

    /** Starts the server of {@code color} as {@code p} describes and records it. */
    private void start(Color color, LocalState.Proc p, int replicas) {
        List<String> cmd = LocalProcesses.fill(cfg.serverCommand(), Map.of("{port}", String.valueOf(p.port()),
                "{model}", p.modelRef(), "{name}", p.modelName(), "{version}", p.modelVersion(), "{sha}", p.gitSha(),
                "{image}", p.image(), "{color}", color.id(), "{app}", app));
        Process child = LocalProcesses.spawn(cmd, logFile(color.id()), new LocalState.Marker(state.dir().toString(),
                color.id(), p.port(), 0, p.releaseId(), p.image(), p.modelName(), p.modelVersion(), p.modelRef(),
                p.gitSha()));
        children.put(color, child);
        state.write(color, p.withRun(child.pid(), ProcessIdentity.startOf(child.pid()), replicas));
    }

    @Override
    public Readiness readiness(Color color, int minAvailable) {
        Optional<LocalState.Proc> p = proc(color);
        if (p.isEmpty() || p.get().replicas() == 0) {
            return Readiness.pending(color.id() + " is not running");
        }
        Process child = children.get(color);
        // Our own child tells its exit code; ask it rather than the pid table (it may exit between two looks).
        boolean running = child != null ? child.isAlive() : ProcessIdentity.alive(p.get().pid(), p.get().started());
        if (!running && child != null) {
            return Readiness.hopeless("server process " + child.pid() + " exited with code " + child.exitValue()
                    + "; last lines of " + logFile(color.id()) + ":\n" + tail(color.id()));
        }
        if (!running) {
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
        return base(cfg.publicPort());
    }

    /** One authenticated admin call to the running proxy; the first deploy (or a dead proxy) starts it. */
    @Override
    public void switchTo(Color color, String releaseId) {
        load();
        LocalState.Proc target = proc(color).orElseThrow(() -> new InfraException("cannot switch to " + color.id()
                + ": it was never started"));
        Optional<LocalState.ProxyState> ps = proxyState().filter(s -> ProcessIdentity.alive(s.pid(), s.started()));
        if (ps.isEmpty()) {
            startProxy(color, target, releaseId);
            return;
        }
        URI upstream = base(target.port());
        try {
            HttpResponse<String> res = admin.send(adminRequest(ps.get().adminPort()).timeout(Duration.ofSeconds(5))
                    .PUT(HttpRequest.BodyPublishers.ofString(upstream.toString())).build(), HttpResponse.BodyHandlers.ofString());
            if (res.statusCode() != 200) {
                throw new InfraException("proxy refused the switch to " + upstream + ": HTTP " + res.statusCode() + " "
                        + res.body());
            }
        } catch (IOException e) {
            throw new InfraException("proxy admin port " + ps.get().adminPort() + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedDeployException("interrupted while switching");
        }
        LocalState.ProxyState cur = ps.get();
        state.write(new LocalState.ProxyState(cur.pid(), cur.started(), cur.publicPort(), cur.adminPort(), color,
                releaseId, target.port()));
    }

    private void startProxy(Color color, LocalState.Proc upstream, String releaseId) {
        checkPortFree();
        Secret secret = state.secret();
        int adminPort = freePort();
        List<String> cmd = LocalProcesses.fill(cfg.proxyCommand(), Map.of("{port}", String.valueOf(cfg.publicPort()),
                "{adminPort}", String.valueOf(adminPort), "{upstream}", base(upstream.port()).toString(),
                "{stateDir}", state.dir().toString()));
        Process p = LocalProcesses.spawn(cmd, logFile("proxy"), new LocalState.Marker(state.dir().toString(), "proxy",
                cfg.publicPort(), adminPort, null, null, null, null, null, null));
        Instant deadline = clock.instant().plus(cfg.startTimeout());
        while (upstreamOf(adminPort, secret).isEmpty()) {
            if (!p.isAlive()) {
                throw new InfraException("proxy exited with code " + p.exitValue() + " (public port " + cfg.publicPort()
                        + " in use?); last lines of " + logFile("proxy") + ":\n" + tail("proxy"));
            }
            if (!clock.instant().isBefore(deadline)) {
                p.destroy();
                throw new InfraException("proxy did not open its admin port within " + cfg.startTimeout().toSeconds() + " s");
            }
            Sleeper.REAL.sleep(Duration.ofMillis(50));
        }
        state.write(new LocalState.ProxyState(p.pid(), ProcessIdentity.startOf(p.pid()), cfg.publicPort(), adminPort,
                color, releaseId, upstream.port()));
        log.info("proxy: started on port " + cfg.publicPort() + " -> " + color.id() + " (admin 127.0.0.1:" + adminPort
                + ", pid " + p.pid() + ")");
    }

    /** Another environment's proxy on the same port would be switched by nobody and answer for us: refuse. */
    private void checkPortFree() {
        try (var envs = Files.list(cfg.stateDir())) {
            for (Path other : envs.filter(Files::isDirectory).filter(d -> !d.equals(state.dir())).toList()) {
                Optional<LocalState.ProxyState> ps = new LocalState(other).proxy().valid();
                if (ps.isPresent() && ps.get().publicPort() == cfg.publicPort()
                        && ProcessIdentity.alive(ps.get().pid(), ps.get().started())) {
                    throw new InputException("local target: public port " + cfg.publicPort() + " is served by the "
                            + other.getFileName() + " environment of " + app + "; give " + cfg.environment()
                            + " its own port (deploy.port / deploy.stagingPort)");
                }
            }
        } catch (IOException e) {
            throw new InfraException("local target: cannot list " + cfg.stateDir() + ": " + e.getMessage());
        }
    }

    /** A dead proxy is restarted on the last recorded upstream, if that color still runs. */
    @Override
    public Optional<String> repairEndpoint() {
        load();
        Optional<LocalState.ProxyState> ps = proxyState();
        if (ps.isEmpty() || ProcessIdentity.alive(ps.get().pid(), ps.get().started())) {
            return Optional.empty();
        }
        Color c = ps.get().active();
        Optional<LocalState.Proc> up = proc(c).filter(p -> ProcessIdentity.alive(p.pid(), p.started()));
        if (up.isEmpty()) {
            return Optional.of("proxy: the proxy (pid " + ps.get().pid() + ") and the server of " + c.id()
                    + ", its last upstream, are gone; public port " + cfg.publicPort() + " serves nothing until the switch");
        }
        startProxy(c, up.get(), ps.get().releaseId());
        return Optional.of("proxy: the proxy (pid " + ps.get().pid() + ") was gone and public port " + cfg.publicPort()
                + " refused connections; restarted it on the last known upstream " + c.id() + " (release "
                + ps.get().releaseId() + ", port " + up.get().port() + ")");
    }

    /** A local color is one process: 0 stops it, any other count is recorded (and restarts a stopped color). */
    @Override
    public void scale(Color color, int replicas) {
        load();
        Optional<LocalState.Proc> p = proc(color);
        if (p.isEmpty()) {
            return;
        }
        LocalState.Proc cur = p.get();
        if (replicas == 0) {
            stopColor(color, cur);
            state.write(color, cur.withRun(-1, null, 0));
        } else if (!ProcessIdentity.alive(cur.pid(), cur.started())) {
            start(color, portFree(cur.port()) ? cur : cur.withPort(freePort()), replicas);
        } else {
            state.write(color, cur.withRun(cur.pid(), cur.started(), replicas));
        }
    }

    @Override
    public void scheduleScaleDown(Color color, int replicas, Instant at) {
        load();
        proc(color).ifPresent(p -> state.write(color, p.withScaleDown(at, replicas)));
    }

    /** Stops both colors and the proxy (for {@code mlops stop} and tests); the ledger stays. */
    public void stopAll() {
        load();
        for (Color c : Color.values()) {
            proc(c).ifPresent(p -> {
                stopColor(c, p);
                state.write(c, p.withRun(-1, null, 0));
            });
        }
        proxyState().ifPresent(s -> LocalProcesses.stop(s.pid(), s.started()));
    }

    @Override
    public void close() {
        // Children keep running on purpose: they serve after this command exits.
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Once per command: validate the state files, recover from corrupt ones (or stop with exit 3). */
    private void load() {
        if (loaded) {
            return;
        }
        LocalRecovery.recover(state, cfg.publicPort(), client, port -> upstreamOf(port, state.secret()), ledger, log,
                clock);
        Optional<LocalState.ProxyState> ps = proxyState();
        if (ps.isPresent() && ps.get().publicPort() != cfg.publicPort()
                && ProcessIdentity.alive(ps.get().pid(), ps.get().started())) {
            throw new InputException("local target: the " + cfg.environment() + " proxy of " + app + " runs on port "
                    + ps.get().publicPort() + ", not " + cfg.publicPort() + "; use that port, or `mlops stop` first");
        }
        loaded = true;
    }

    private Optional<LocalState.Proc> proc(Color c) {
        return valid(state.proc(c), LocalState.procFile(c));
    }

    private Optional<LocalState.ProxyState> proxyState() {
        return valid(state.proxy(), LocalState.PROXY_FILE);
    }

    private <T> Optional<T> valid(LocalState.Read<T> r, String name) {
        if (r.corrupt() != null) {
            throw new InfraException("local target: " + state.file(name) + " changed while this command ran and is "
                    + "now corrupt (" + r.corrupt() + "); nothing more was changed; run the command again");
        }
        return r.valid();
    }

    private void stopColor(Color color, LocalState.Proc p) {
        Process child = children.remove(color);
        if (child != null) {
            LocalProcesses.stop(child);
        } else {
            LocalProcesses.stop(p.pid(), p.started());
        }
    }

    /** Asks the proxy on {@code adminPort} which upstream port it forwards to. */
    private Optional<Integer> upstreamOf(int adminPort, Secret secret) {
        try {
            HttpResponse<String> r = admin.send(adminRequest(adminPort, secret).timeout(Duration.ofSeconds(2)).GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return Optional.empty();
            }
            String body = r.body().trim();
            String upstream = body.startsWith("{") ? Json.MAPPER.readTree(body).path("upstream").asText() : body;
            return Optional.of(URI.create(upstream).getPort()).filter(p -> p > 0);
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedDeployException("interrupted while asking the proxy");
        }
    }

    private HttpRequest.Builder adminRequest(int port) {
        return adminRequest(port, state.secret());
    }

    private static HttpRequest.Builder adminRequest(int port, Secret secret) {
        return HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/-/upstream"))
                .header("Authorization", "Bearer " + secret.reveal());
    }

    private Path logFile(String name) {
        return state.file(name + ".log");
    }

    private String tail(String name) {
        try {
            List<String> lines = Files.readAllLines(logFile(name), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
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

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 0, InetAddress.getByName(LOOPBACK))) {
            return s.getLocalPort() == port;
        } catch (IOException e) {
            return false;
        }
    }
}
