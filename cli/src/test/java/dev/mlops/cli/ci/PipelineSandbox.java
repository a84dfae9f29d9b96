package dev.mlops.cli.ci;

import dev.mlops.cli.Main;
import dev.mlops.engine.Log;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.Timeouts;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.tracking.TrackingCredentials;
import dev.mlops.engine.tracking.Trackers;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What running a generated pipeline for real needs here: a temporary git clone holding the bundled example and the
 * generated CI files (with free ports and a short verify window, so runs never collide and stay quick), the mlops
 * under test as an installed {@code bin/mlops}, a registry and deploy state outside the clone (as a runner keeps
 * them), and reads of the registry's aliases.
 */
final class PipelineSandbox implements AutoCloseable {
    static final String SPEC = "examples/breast-cancer/mlops.yaml";
    static final String MODEL = "breast-cancer-classifier";

    final Path root;
    final Path repo;
    final Path registry;
    final Path state;
    final Path mlopsHome;

    PipelineSandbox(Path tmp, List<String> files) {
        this.root = repoRoot();
        this.repo = tmp.resolve("repo");
        this.registry = tmp.resolve("registry");
        this.state = tmp.resolve("state");
        this.mlopsHome = tmp.resolve("mlops-home");
        try {
            for (String f : files) {
                copyTree(root.resolve(f), repo.resolve(f));
            }
            Path spec = repo.resolve(SPEC);
            String text = Files.readString(spec)
                    .replaceFirst("(?m)^  port: \\d+", "  port: " + freePort())
                    .replaceFirst("(?m)^  stagingPort: \\d+", "  stagingPort: " + freePort())
                    // the gate's 5 ms p99 prediction budget holds on an idle machine, not on a busy shared one
                    .replace("latency_p99_ms: {max: 5.0}", "latency_p99_ms: {max: 1000.0}");
            // a shared 2-core machine: a short verify window, and a smoke budget no busy moment can break
            Files.writeString(spec, text + "  verifySeconds: 1\n  smokeLatencyBudgetMs: 5000\n");
            installMlops();
            git("init", "-q", "-b", "main");
            git("remote", "add", "origin", "https://gitlab.example/acme/breast-cancer.git");
            commit("the bundled example and its generated pipelines");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code MLOPS_HOME/bin/mlops}: this build's CLI (its test classpath), as the setup steps would install it. */
    private void installMlops() throws IOException {
        Path bin = Files.createDirectories(mlopsHome.resolve("bin"));
        Path args = mlopsHome.resolve("java.args");
        Files.writeString(args, "-cp " + System.getProperty("java.class.path") + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path launcher = bin.resolve("mlops");
        Files.writeString(launcher, "#!/usr/bin/env bash\nexec " + java + " -Xmx512m -XX:TieredStopAtLevel=1"
                + " -Dsun.net.httpserver.nodelay=true @" + args + " dev.mlops.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    void commit(String message) {
        git("add", "-A");
        git("-c", "user.name=ci-test", "-c", "user.email=ci@test.invalid", "commit", "-q", "--allow-empty", "-m", message);
    }

    String git(String... args) {
        List<String> cmd = new ArrayList<>(List.of("git"));
        cmd.addAll(List.of(args));
        Run r = run(cmd, repo, Map.of(), 60);
        if (r.exitCode() != 0) {
            throw new IllegalStateException("git " + String.join(" ", args) + " failed: " + r.output());
        }
        return r.output().trim();
    }

    /** The version an alias of the registered model points at, or null (also before anything was registered). */
    String alias(String alias) {
        try (Tracker t = Trackers.open(registry.toString(), repo, TrackingCredentials.NONE, Timeouts.DEFAULTS, Log.NONE)) {
            return t.findByAlias(MODEL, alias).map(ModelVersion::version).orElse(null);
        } catch (dev.mlops.engine.InputException e) {
            return null; // nothing registered yet
        }
    }

    /** Stops whatever the pipelines left serving (local target), in both environments. */
    @Override
    public void close() {
        for (String env : List.of("staging", "production")) {
            if (Files.isDirectory(state.resolve(env))) {
                StringWriter sink = new StringWriter();
                Main.execute(new String[]{"stop", "-f", repo.resolve(SPEC).toString(), "--state-dir",
                        state.resolve(env).toString(), "--environment", env}, new PrintWriter(sink), new PrintWriter(sink));
            }
        }
    }

    record Run(int exitCode, String output) {
    }

    static Run run(List<String> cmd, Path dir, Map<String, String> env, int timeoutSeconds) {
        try {
            Path log = Files.createTempFile("run", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return new Run(-1, "timed out after " + timeoutSeconds + " s\n" + Files.readString(log));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            Files.delete(log);
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.isRegularFile(p.resolve("mvnw")) && Files.isDirectory(p.resolve("examples")))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("repository root not found");
        }
        return p;
    }

    /** Copies a file or a folder (skipping generated output) to {@code to}. */
    static void copyTree(Path from, Path to) throws IOException {
        if (Files.isRegularFile(from)) {
            Files.createDirectories(to.getParent());
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
            return;
        }
        try (var files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path rel = from.relativize(f);
                String s = rel.toString();
                if (s.startsWith("out") || s.startsWith("mlruns") || s.startsWith(".mlops")) {
                    continue;
                }
                Path target = to.resolve(rel);
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
