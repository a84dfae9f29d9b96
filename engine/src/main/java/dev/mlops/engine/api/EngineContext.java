package dev.mlops.engine.api;

import dev.mlops.engine.Log;
import dev.mlops.engine.Secret;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.ServerClient;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.tracking.TrackingCredentials;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Everything the engine gets from its front end, as values: where relative paths start ({@code workDir}), where lines
 * and progress go ({@code log}), the clock, the CI variables (the front end passes its environment or Jenkins'
 * {@code EnvVars}; only the names in {@link #CI_VARIABLES} are kept, so a secret in the environment never enters the
 * engine by accident), credentials as {@link Secret}s, and the local runtime that starts local model servers and
 * proxies. {@code sleeper} and {@code serverClient} are how the deployer waits and probes servers (null: the real
 * ones); tests pass fakes.
 * Immutable: each {@code withX} returns a copy.
 */
public record EngineContext(Path workDir, Log log, Clock clock, Map<String, String> ci,
                            TrackingCredentials trackingCredentials, Secret kubeToken, LocalRuntime localRuntime,
                            Sleeper sleeper, ServerClient serverClient) {

    /** The CI and platform variables the engine reads from {@link #ci()}; anything else is dropped. */
    public static final Set<String> CI_VARIABLES = Set.copyOf(List.of(
            // commit
            "GIT_COMMIT", "GITHUB_SHA", "CI_COMMIT_SHA",
            // build URL
            "BUILD_URL", "GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_RUN_ID", "CI_JOB_URL",
            // who
            "BUILD_USER_ID", "GITHUB_ACTOR", "GITLAB_USER_LOGIN", "USER", "USERNAME",
            // the reproducible build time recorded in a model (BuildIdentity.buildTime)
            "SOURCE_DATE_EPOCH",
            // where things are
            "MLFLOW_TRACKING_URI", "KUBECONFIG", "HOME", "KUBERNETES_SERVICE_HOST", "KUBERNETES_SERVICE_PORT"));

    /**
     * How the engine starts local {@code mlops serve} and proxy processes: a java binary, the classpath, and the JVM
     * flags of a model server (the front end reads them from the serve module's {@code jvm.options}, the file the
     * container image and {@code ./mlops serve} use, so a local color runs as a pod does).
     */
    public record LocalRuntime(String java, String classpath, List<String> serveJvmFlags) {
        public LocalRuntime {
            Objects.requireNonNull(java, "java");
            Objects.requireNonNull(classpath, "classpath");
            serveJvmFlags = serveJvmFlags == null ? List.of() : List.copyOf(serveJvmFlags);
        }

        /** Without model-server JVM flags. */
        public LocalRuntime(String java, String classpath) {
            this(java, classpath, List.of());
        }

        /** {@code java FLAGS -cp CP dev.mlops.cli.Main serve}: the same server a pod runs. */
        public List<String> serveCommand() {
            List<String> cmd = new java.util.ArrayList<>();
            cmd.add(java);
            cmd.addAll(serveJvmFlags);
            cmd.addAll(List.of("-cp", classpath, "dev.mlops.cli.Main", "serve"));
            return List.copyOf(cmd);
        }

        /** The proxy's own entry point (in the serve jar) starts faster than the whole CLI. */
        public List<String> proxyCommand() {
            return List.of(java, "-Xmx128m", "-cp", classpath, "dev.mlops.serve.proxy.ProxyMain");
        }
    }

    public EngineContext {
        workDir = Objects.requireNonNull(workDir, "workDir").toAbsolutePath().normalize();
        log = Objects.requireNonNull(log, "log");
        clock = clock == null ? Clock.systemUTC() : clock;
        Map<String, String> kept = new TreeMap<>();
        if (ci != null) {
            ci.forEach((k, v) -> {
                if (k != null && v != null && CI_VARIABLES.contains(k)) {
                    kept.put(k, v);
                }
            });
        }
        ci = Collections.unmodifiableMap(kept);
        trackingCredentials = trackingCredentials == null ? TrackingCredentials.NONE : trackingCredentials;
        sleeper = sleeper == null ? Sleeper.REAL : sleeper;
    }

    /** The deployer's HTTP client to model servers; built on first use (it costs a few hundred ms of JVM start). */
    @Override
    public ServerClient serverClient() {
        return serverClient != null ? serverClient : DefaultServerClient.INSTANCE;
    }

    private static final class DefaultServerClient {
        static final ServerClient INSTANCE = new HttpServerClient(Duration.ofSeconds(10));
    }

    /** A context with no CI variables, no credentials and no local runtime. */
    public static EngineContext of(Path workDir, Log log) {
        return new EngineContext(workDir, log, null, null, null, null, null, null, null);
    }

    public EngineContext withClock(Clock c) {
        return new EngineContext(workDir, log, c, ci, trackingCredentials, kubeToken, localRuntime, sleeper, serverClient);
    }

    public EngineContext withCi(Map<String, String> variables) {
        return new EngineContext(workDir, log, clock, variables, trackingCredentials, kubeToken, localRuntime, sleeper,
                serverClient);
    }

    public EngineContext withTrackingCredentials(TrackingCredentials c) {
        return new EngineContext(workDir, log, clock, ci, c, kubeToken, localRuntime, sleeper, serverClient);
    }

    public EngineContext withKubeToken(Secret token) {
        return new EngineContext(workDir, log, clock, ci, trackingCredentials, token, localRuntime, sleeper, serverClient);
    }

    public EngineContext withLocalRuntime(LocalRuntime runtime) {
        return new EngineContext(workDir, log, clock, ci, trackingCredentials, kubeToken, runtime, sleeper, serverClient);
    }

    public EngineContext withSleeper(Sleeper s) {
        return new EngineContext(workDir, log, clock, ci, trackingCredentials, kubeToken, localRuntime, s, serverClient);
    }

    public EngineContext withServerClient(ServerClient client) {
        return new EngineContext(workDir, log, clock, ci, trackingCredentials, kubeToken, localRuntime, sleeper, client);
    }

    /** A path as given by the user, relative to the working directory. */
    public Path resolve(String path) {
        return workDir.resolve(path).normalize();
    }

    /** The CI variable, or null when unset or blank. */
    public String variable(String name) {
        String v = ci.get(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    @Override
    public String toString() {
        return "EngineContext[workDir=" + workDir + ", ci=" + ci.keySet() + ", tracking=" + trackingCredentials
                + ", kubeToken=" + (kubeToken == null ? "none" : "set") + ", localRuntime=" + localRuntime + "]";
    }
}
