package dev.mlops.cli;

import dev.mlops.engine.Log;
import dev.mlops.engine.Secret;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.engine.tracking.TrackingCredentials;
import dev.mlops.engine.tracking.Trackers;
import picocli.CommandLine.Option;

import java.util.Map;

/**
 * Opens the spec's tracker. Credentials are read only here, from the environment, and passed on as secrets:
 * MLFLOW_TRACKING_TOKEN (bearer), or MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (basic).
 */
public final class TrackingOptions {
    @Option(names = "--tracking-uri", paramLabel = "URI",
            description = "Override tracking.uri: a folder (MLflow file layout) or http(s)://host:port of an MLflow server.")
    String uri;

    public Tracker open(PipelineSpec spec, Log log) {
        String target = uri != null ? uri : spec.tracking().uri();
        return Trackers.open(target, spec.baseDir(), credentials(System.getenv()), spec.tracking().timeouts(), log);
    }

    static TrackingCredentials credentials(Map<String, String> env) {
        Secret token = Secret.ofNullable(env.get("MLFLOW_TRACKING_TOKEN"));
        String user = env.get("MLFLOW_TRACKING_USERNAME");
        Secret password = Secret.ofNullable(env.get("MLFLOW_TRACKING_PASSWORD"));
        if (token == null && (user == null || user.isBlank())) {
            return TrackingCredentials.NONE;
        }
        return new TrackingCredentials(token, user == null || user.isBlank() ? null : user, password);
    }
}
