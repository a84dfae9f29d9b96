package dev.mlops.cli.deploy;

import dev.mlops.engine.spec.DeploySpec;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.spec.SpecLoader;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Lets the deploy commands read {@code mlops.yaml}: every option left unset on the command line takes its value from
 * the spec's {@code deploy} and {@code tracking} sections. Precedence: command line, then spec, then environment.
 */
public final class DeploySpecOptions {
    @Option(names = {"-f", "--file"}, paramLabel = "SPEC",
            description = "Pipeline spec whose deploy and tracking sections give the defaults (options given here win).")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec value, e.g. --set deploy.port=9090 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--staging", description = "Deploy to staging: deploy.stagingNamespace / deploy.stagingPort, alias 'staging'.")
    boolean staging;

    /** The loaded spec, or null when no -f was given. */
    PipelineSpec load() {
        return file == null ? null : SpecLoader.load(file, overrides);
    }

    /** Fills what the command line left unset; returns the spec (or null). */
    PipelineSpec applyTo(TargetOptions where, CheckOptions checks, boolean movesAlias) {
        PipelineSpec spec = load();
        if (spec != null) {
            DeploySpec d = spec.deploy();
            where.stateBase = spec.baseDir();
            where.app = first(where.app, d.app());
            where.target = first(where.target, d.target());
            where.kubernetesSpec = d.kubernetes();
            where.port = first(where.port, staging ? d.stagingPort() : d.port());
            where.namespace = first(where.namespace, staging && d.stagingNamespace() != null ? d.stagingNamespace() : d.namespace());
            if (where.kubeconfig == null && d.kubeconfig() != null) {
                where.kubeconfig = spec.baseDir().resolve(d.kubeconfig());
            }
            checks.replicas = first(checks.replicas, d.replicas());
            checks.warmReplicas = first(checks.warmReplicas, d.warmReplicas());
            checks.readyTimeout = first(checks.readyTimeout, Duration.ofSeconds(d.readyTimeoutSeconds()));
            checks.smokeSamples = first(checks.smokeSamples, d.smokeSamples());
            checks.latencyBudget = first(checks.latencyBudget, Duration.ofMillis(Math.round(d.smokeLatencyBudgetMs())));
            checks.verifyWindow = first(checks.verifyWindow, Duration.ofSeconds(d.verifySeconds()));
            checks.maxErrorRate = first(checks.maxErrorRate, d.maxErrorRate());
            checks.history = first(checks.history, d.history());
            if (checks.trackingUri == null) {
                String uri = spec.tracking().uri();
                checks.trackingUri = uri.matches("(?i)https?://.*") || uri.startsWith("file:") ? uri
                        : spec.baseDir().resolve(uri).normalize().toString();
            }
            if (movesAlias) {
                checks.alias = first(checks.alias, staging ? "staging" : "production");
            }
        } else if (staging && movesAlias) {
            checks.alias = first(checks.alias, "staging");
        }
        checks.trackingUri = first(checks.trackingUri, System.getenv("MLFLOW_TRACKING_URI"));
        return spec;
    }

    private static <T> T first(T given, T fallback) {
        return given != null ? given : fallback;
    }
}
