package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * Runs before a command touches a local environment. When a state file is corrupt it is copied aside
 * ({@code <name>.corrupt-<time>}) and the true state is recovered from the running processes: each process we
 * started carries a marker naming its folder, role, port and release, and must answer {@code /version} with its
 * model version; the proxy is asked (with the secret) which port it forwards to. When the truth cannot be
 * established the command stops with exit 3 before changing anything, saying how to repair it.
 */
final class LocalRecovery {
    private LocalRecovery() {
    }

    /**
     * @param upstreamOf asks the proxy on the given admin port which upstream port it forwards to (empty: no answer)
     */
    static void recover(LocalState st, int publicPort, ServerClient client, IntFunction<Optional<Integer>> upstreamOf,
                        Ledger ledger, Log log, Clock clock) {
        Map<String, String> corrupt = new LinkedHashMap<>();
        for (Color c : Color.values()) {
            String why = st.proc(c).corrupt();
            if (why != null) {
                corrupt.put(LocalState.procFile(c), why);
            }
        }
        String proxyWhy = st.proxy().corrupt();
        if (proxyWhy != null) {
            corrupt.put(LocalState.PROXY_FILE, proxyWhy);
        }
        if (corrupt.isEmpty()) {
            return;
        }
        Map<String, Path> copies = new LinkedHashMap<>();
        corrupt.forEach((name, why) -> {
            Path aside = st.keepAside(name, clock.instant());
            copies.put(name, aside);
            log.warn("state file " + st.file(name) + " is corrupt (" + why + "); kept a copy as " + aside.getFileName()
                    + "; recovering the true state from the running processes");
        });
        Failure fail = new Failure(st.dir(), copies);
        if (!LocalProcesses.canScan()) {
            throw fail.because("this system does not let mlops find the processes it started (no /proc)");
        }
        List<LocalProcesses.Found> found = LocalProcesses.scan(st.dir());

        Map<Color, LocalState.Proc> live = new EnumMap<>(Color.class);
        for (Color c : Color.values()) {
            if (!corrupt.containsKey(LocalState.procFile(c))) {
                st.proc(c).valid().filter(p -> ProcessIdentity.alive(p.pid(), p.started())).ifPresent(p -> live.put(c, p));
                continue;
            }
            List<LocalProcesses.Found> mine = role(found, c.id());
            if (mine.size() > 1) {
                throw fail.because(mine.size() + " processes claim to be " + c.id() + ": pids " + pids(mine));
            }
            if (mine.isEmpty()) {
                st.delete(LocalState.procFile(c));
                log.warn("recovered: no process of " + c.id() + " runs; " + c.id() + " recorded as not deployed");
                continue;
            }
            LocalProcesses.Found f = mine.get(0);
            LocalState.Marker m = f.marker();
            ServerClient.Reply v = client.get(URI.create("http://" + LocalTarget.LOOPBACK + ":" + m.port()), "/version");
            if (!v.ok() || !m.modelVersion().equals(v.modelVersion())) {
                throw fail.because("process " + f.pid() + " (" + c.id() + ") should serve model_version "
                        + m.modelVersion() + " on port " + m.port() + " but /version answered " + v.describe()
                        + (v.modelVersion() == null ? "" : " with model_version " + v.modelVersion()));
            }
            LocalState.Proc p = new LocalState.Proc(f.pid(), f.started(), m.port(), m.releaseId(), m.image(),
                    m.modelName(), m.modelVersion(), m.modelRef(), m.gitSha(), 1, null, null);
            st.write(c, p);
            live.put(c, p);
            log.warn("recovered " + LocalState.procFile(c) + " from its running process " + f.pid() + " (port "
                    + m.port() + " answers /version with model_version " + m.modelVersion() + ", release "
                    + m.releaseId() + ")");
        }
        if (!corrupt.containsKey(LocalState.PROXY_FILE)) {
            return;
        }
        List<LocalProcesses.Found> proxies = role(found, "proxy");
        if (proxies.size() > 1) {
            throw fail.because(proxies.size() + " proxies run for this environment: pids " + pids(proxies));
        }
        if (proxies.size() == 1) {
            LocalProcesses.Found f = proxies.get(0);
            Optional<Integer> up = upstreamOf.apply(f.marker().adminPort());
            if (up.isEmpty()) {
                throw fail.because("the running proxy (pid " + f.pid() + ") does not answer on its admin port "
                        + f.marker().adminPort());
            }
            Optional<Color> active = live.entrySet().stream().filter(e -> e.getValue().port() == up.get())
                    .map(Map.Entry::getKey).findFirst();
            if (active.isEmpty()) {
                throw fail.because("the proxy (pid " + f.pid() + ") forwards to port " + up.get()
                        + ", which no running color of this environment serves");
            }
            LocalState.Proc p = live.get(active.get());
            st.write(new LocalState.ProxyState(f.pid(), f.started(), f.marker().port(), f.marker().adminPort(),
                    active.get(), p.releaseId(), up.get()));
            log.warn("recovered " + LocalState.PROXY_FILE + " from the running proxy " + f.pid() + ": traffic is on "
                    + active.get().id() + " (port " + up.get() + ", release " + p.releaseId() + ")");
            return;
        }
        ServerClient.Reply pub = client.get(URI.create("http://" + LocalTarget.LOOPBACK + ":" + publicPort), "/version");
        if (pub.status() > 0) {
            throw fail.because("public port " + publicPort + " answers, but no proxy of this environment runs: "
                    + "another program holds the port");
        }
        if (live.isEmpty()) {
            st.delete(LocalState.PROXY_FILE);
            log.warn("recovered: neither a proxy nor a server of this environment runs; recorded as nothing deployed");
            return;
        }
        Optional<Release> last = ledger.read().stream().filter(r -> Ledger.SERVED.contains(r.outcome()))
                .filter(r -> live.values().stream().anyMatch(p -> r.id().equals(p.releaseId()))).findFirst();
        if (last.isEmpty()) {
            throw fail.because("no proxy runs, and the ledger does not say which running color served last");
        }
        Color c = last.get().color();
        LocalState.Proc p = live.get(c);
        if (p == null || !last.get().id().equals(p.releaseId())) {
            throw fail.because("no proxy runs, and the release that served last (" + last.get().id() + ") is not what "
                    + c.id() + " runs");
        }
        st.write(new LocalState.ProxyState(-1, null, publicPort, 0, c, p.releaseId(), p.port()));
        log.warn("recovered: no proxy runs; the last upstream per the ledger is " + c.id() + " (release " + p.releaseId()
                + "); the proxy is restarted on it before anything else");
    }

    private static List<LocalProcesses.Found> role(List<LocalProcesses.Found> all, String role) {
        return all.stream().filter(f -> role.equals(f.marker().role())).toList();
    }

    private static List<Long> pids(List<LocalProcesses.Found> fs) {
        List<Long> out = new ArrayList<>();
        fs.forEach(f -> out.add(f.pid()));
        return out;
    }

    /** Builds the exit-3 error: what was corrupt, where the copy is, why recovery failed, how to repair. */
    private record Failure(Path dir, Map<String, Path> copies) {
        InfraException because(String why) {
            StringBuilder files = new StringBuilder();
            copies.forEach((name, aside) -> files.append(files.length() == 0 ? "" : ", ").append(name)
                    .append(" (copy: ").append(aside.getFileName()).append(")"));
            return new InfraException("local state in " + dir + " is corrupt: " + files + "; the true state could not "
                    + "be recovered: " + why + ". Nothing was changed. To repair: fix the JSON of the file(s) named "
                    + "(the copies keep the original bytes) and run the command again; or stop this environment's "
                    + "processes (list them with: ps eww -o pid,command | grep '" + LocalState.MARKER_ENV + "=.*" + dir
                    + "'), delete blue.json, green.json and proxy.json in " + dir + ", and deploy again (the ledger "
                    + "releases.json is kept)");
        }
    }
}
