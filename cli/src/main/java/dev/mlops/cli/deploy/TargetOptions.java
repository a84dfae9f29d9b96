package dev.mlops.cli.deploy;

import dev.mlops.cli.Cli;
import dev.mlops.engine.api.TargetRequest;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Which app and environment, and where blue and green run: options shared by deploy, rollback, status and stop. Every
 * option left unset takes its value from the spec ({@code -f}), then from the engine's defaults.
 */
public final class TargetOptions {
    static final String DEFAULT_SPEC = "mlops.yaml";

    @Option(names = {"-f", "--file"}, paramLabel = "SPEC",
            description = "Pipeline spec whose deploy and tracking sections give the defaults (options given here win); "
                    + "default mlops.yaml when the current folder has one, else none: every value is an option.")
    String file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a spec value, e.g. --set deploy.port=9090 (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--staging", description = "The staging environment: deploy.stagingNamespace / deploy.stagingPort, alias 'staging'.")
    boolean staging;

    @Option(names = "--environment", paramLabel = "ENV", description = "production (default) or staging; --staging is short for staging.")
    String environment;

    @Option(names = "--app", description = "Application name (Kubernetes object prefix, local state folder); default deploy.app of the spec.")
    String app;

    @Option(names = "--target", description = "local (default) or kubernetes; default deploy.target of the spec.")
    String target;

    @Option(names = "--state-dir", description = "Local target: state folder (default .mlops/local/<app>, <app>-staging for staging; next to the spec when -f is given).")
    String stateDir;

    @Option(names = "--port", description = "Local target: the app's public port (default deploy.port / deploy.stagingPort, else 8080 / 8180).")
    Integer port;

    @Option(names = "--server-cmd", description = "Local target: command starting one model server; placeholders "
            + "{port} {model} {name} {version} {sha} {image} {color} {app}. Default: this jar's 'serve' command.")
    String serverCmd;

    @Option(names = {"--namespace", "-n"}, description = "Kubernetes namespace (default deploy.namespace / deploy.stagingNamespace).")
    String namespace;

    @Option(names = "--kubeconfig", description = "Kubernetes: kubeconfig file (default deploy.kubeconfig, $KUBECONFIG or ~/.kube/config).")
    String kubeconfig;

    @Option(names = "--context", description = "Kubernetes: kubeconfig context.")
    String context;

    @Option(names = "--in-cluster", description = "Kubernetes: use this pod's service account.")
    boolean inCluster;

    @Option(names = "--api-server", description = "Kubernetes: API server URL; the token comes from $" + Cli.KUBE_TOKEN_ENV + ".")
    String apiServer;

    @Option(names = "--ca-file", description = "Kubernetes: CA certificate of the API server.")
    String caFile;

    @Option(names = "--insecure-skip-tls-verify", description = "Kubernetes: do not verify the API server's certificate.")
    boolean insecure;

    @Option(names = "--endpoint-template", description = "Kubernetes: URL the deployer probes a Service at "
            + "(default http://{service}.{namespace}.svc:{port}).")
    String endpointTemplate;

    @Option(names = "--tracking-uri",
            description = "Registry for the alias and for models:/ references: a folder (MLflow layout) or an MLflow URL "
                    + "(default: tracking.uri of the spec, else $MLFLOW_TRACKING_URI; credentials from "
                    + "MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/_PASSWORD).")
    String trackingUri;

    /** The request with every option given here set. */
    <R extends TargetRequest<R>> R applyTo(R request) {
        String spec = file != null ? file : Files.isRegularFile(Path.of(DEFAULT_SPEC)) ? DEFAULT_SPEC : null;
        return request.withSpec(spec).withOverrides(overrides)
                .withEnvironment(environment != null ? environment : staging ? TargetRequest.STAGING : null)
                .withApp(app).withTarget(target).withStateDir(stateDir).withPort(port).withServerCmd(serverCmd)
                .withNamespace(namespace).withKubeconfig(kubeconfig).withContext(context).withInCluster(inCluster)
                .withApiServer(apiServer).withCaFile(caFile).withInsecureSkipTlsVerify(insecure)
                .withEndpointTemplate(endpointTemplate).withTrackingUri(trackingUri);
    }
}
