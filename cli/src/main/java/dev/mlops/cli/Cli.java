package dev.mlops.cli;

import dev.mlops.engine.Secret;
import dev.mlops.engine.api.Engine;
import dev.mlops.engine.api.EngineContext;
import dev.mlops.engine.tracking.TrackingCredentials;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The one place the command line reads its environment and JVM: CI variables, MLflow and Kubernetes credentials, the
 * working directory and the java runtime that local model servers run on. Everything reaches the engine as values.
 */
public final class Cli {
    /** The environment variable holding a Kubernetes bearer token for --api-server. */
    public static final String KUBE_TOKEN_ENV = "MLOPS_KUBE_TOKEN";

    private Cli() {
    }

    /** An engine whose log writes to {@code err} (warnings only when {@code quiet}). */
    public static Engine engine(PrintWriter err, boolean quiet) {
        return new Engine(context(System.getenv(), new ConsoleLog(err, quiet)));
    }

    static EngineContext context(Map<String, String> environment, ConsoleLog log) {
        Map<String, String> env = new HashMap<>(environment);
        // Outside CI the OS user is who deployed; USER is unset in some containers, the JVM still knows.
        env.putIfAbsent("USER", System.getProperty("user.name"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return EngineContext.of(Path.of("").toAbsolutePath(), log)
                .withCi(env)
                .withTrackingCredentials(trackingCredentials(env))
                .withKubeToken(Secret.ofNullable(env.get(KUBE_TOKEN_ENV)))
                .withLocalRuntime(new EngineContext.LocalRuntime(java, System.getProperty("java.class.path"),
                        dev.mlops.serve.ServerJvm.flags()));
    }

    /** MLFLOW_TRACKING_TOKEN (bearer), or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic). */
    static TrackingCredentials trackingCredentials(Map<String, String> env) {
        Secret token = Secret.ofNullable(env.get("MLFLOW_TRACKING_TOKEN"));
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        Secret password = Secret.ofNullable(env.get("MLFLOW_TRACKING_PASSWORD"));
        if (token == null && (user == null || user.isBlank())) {
            return TrackingCredentials.NONE;
        }
        return new TrackingCredentials(token, user == null || user.isBlank() ? null : user, password);
    }
}
