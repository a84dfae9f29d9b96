package dev.mlops.cli.deploy;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.Secret;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.KubeAccess;
import dev.mlops.engine.deploy.KubeSettings;
import dev.mlops.engine.deploy.KubernetesTarget;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.ServerClient;
import dev.mlops.engine.deploy.Sleeper;
import dev.mlops.engine.deploy.Target;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Where blue and green run: options shared by deploy, rollback and status. */
public final class TargetOptions {
    /** The environment variable holding a Kubernetes bearer token for --api-server. */
    public static final String TOKEN_ENV = "MLOPS_KUBE_TOKEN";

    @Option(names = "--app", description = "Application name (Kubernetes object prefix, local state folder); default deploy.app of the spec.")
    String app;

    @Option(names = "--target", description = "local (default) or kubernetes; default deploy.target of the spec.")
    String target;

    @Option(names = "--state-dir", description = "Local target: state folder (default .mlops/local/<app>, next to the spec when -f is given).")
    Path stateDir;

    /** Where the default state folder lives: the working directory, or the spec's folder. */
    Path stateBase = Path.of("");

    @Option(names = "--port", description = "Local target: the app's public port (default deploy.port of the spec, else 8080).")
    Integer port;

    @Option(names = "--server-cmd", description = "Local target: command starting one model server; placeholders "
            + "{port} {model} {name} {version} {sha} {image} {color} {app}. Default: this jar's 'serve' command.")
    String serverCmd;

    @Option(names = {"--namespace", "-n"}, description = "Kubernetes namespace (staging and production: one each).")
    String namespace;

    @Option(names = "--kubeconfig", description = "Kubernetes: kubeconfig file (default $KUBECONFIG or ~/.kube/config).")
    Path kubeconfig;

    @Option(names = "--context", description = "Kubernetes: kubeconfig context.")
    String context;

    @Option(names = "--in-cluster", description = "Kubernetes: use this pod's service account.")
    boolean inCluster;

    @Option(names = "--api-server", description = "Kubernetes: API server URL; the token comes from $" + TOKEN_ENV + ".")
    String apiServer;

    @Option(names = "--ca-file", description = "Kubernetes: CA certificate of the API server.")
    Path caFile;

    @Option(names = "--insecure-skip-tls-verify", description = "Kubernetes: do not verify the API server's certificate.")
    boolean insecure;

    @Option(names = "--endpoint-template", description = "Kubernetes: URL the deployer probes a Service at "
            + "(default http://{service}.{namespace}.svc:{port}).")
    String endpointTemplate;

    boolean kubernetes() {
        return switch (target == null ? "local" : target) {
            case "kubernetes", "k8s" -> true;
            case "local" -> false;
            default -> throw new InputException("--target must be local or kubernetes, got '" + target + "'");
        };
    }

    ServerClient serverClient() {
        return new HttpServerClient(Duration.ofSeconds(10));
    }

    Target open(Log log, Clock clock, String trackingUri) {
        if (app == null || app.isBlank()) {
            throw new InputException("--app is required (or -f a spec with deploy.app or name)");
        }
        if (kubernetes()) {
            if (namespace == null) {
                throw new InputException("--namespace is required with --target kubernetes");
            }
            KubeSettings settings = new KubeSettings(namespace, null, null, null, null, null, null, endpointTemplate);
            return new KubernetesTarget(access().connect(namespace), app, settings, log, clock, Sleeper.REAL);
        }
        Path dir = stateDir != null ? stateDir : stateBase.resolve(".mlops").resolve("local").resolve(app);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("java.class.path");
        List<String> server;
        if (serverCmd != null) {
            server = Arrays.asList(serverCmd.trim().split("\\s+"));
        } else {
            // The same 'mlops serve' a pod runs; credentials reach it through the inherited environment, never argv.
            // With the JVM flags every model server gets (serve's jvm.options), as `mlops serve` and the image.
            server = new ArrayList<>(List.of(java));
            server.addAll(dev.mlops.serve.ServerJvm.flags());
            server.addAll(List.of("-cp", cp, "dev.mlops.cli.Main", "serve", "--host", "127.0.0.1",
                    "--port", "{port}", "--model", "{model}", "--model-name", "{name}", "--model-version", "{version}"));
            if (trackingUri != null && !trackingUri.isBlank()) {
                server.addAll(List.of("--tracking-uri", trackingUri));
            }
        }
        // The proxy's own entry point (in the serve jar, on this classpath) starts faster than the whole CLI.
        List<String> proxy = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", cp, "dev.mlops.serve.proxy.ProxyMain",
                "--port", "{port}", "--admin-port", "{adminPort}", "--upstream", "{upstream}"));
        return new LocalTarget(app, new LocalTarget.Config(dir.toAbsolutePath(), port == null ? 8080 : port, server, proxy, null),
                serverClient(), log, clock);
    }

    private KubeAccess access() {
        if (inCluster) {
            String host = System.getenv("KUBERNETES_SERVICE_HOST");
            String p = System.getenv("KUBERNETES_SERVICE_PORT");
            if (host == null) {
                throw new InputException("--in-cluster: KUBERNETES_SERVICE_HOST is not set (not running in a pod?)");
            }
            return KubeAccess.inCluster("https://" + host + ":" + (p == null ? "443" : p), KubeAccess.SERVICE_ACCOUNT);
        }
        if (apiServer != null) {
            Secret token = Secret.ofNullable(System.getenv(TOKEN_ENV));
            if (token == null) {
                throw new InputException("--api-server needs a token in $" + TOKEN_ENV);
            }
            return KubeAccess.token(apiServer, token, caFile, insecure);
        }
        Path file = kubeconfig;
        if (file == null) {
            String env = System.getenv("KUBECONFIG");
            file = env != null && !env.isBlank() ? Path.of(env.split(java.io.File.pathSeparator)[0])
                    : Path.of(System.getProperty("user.home"), ".kube", "config");
        }
        return KubeAccess.kubeconfig(file, context);
    }

    /** Who runs this, for the lock and the ledger: CI user variables, then the OS user. */
    static String who(String given) {
        if (given != null) {
            return given;
        }
        for (String v : List.of("BUILD_USER_ID", "GITHUB_ACTOR", "USER", "USERNAME")) {
            String s = System.getenv(v);
            if (s != null && !s.isBlank()) {
                return s;
            }
        }
        return "unknown";
    }

    /** Jenkins' BUILD_URL, or the GitHub Actions run URL. */
    static String buildUrl(String given) {
        if (given != null) {
            return given;
        }
        String jenkins = System.getenv("BUILD_URL");
        if (jenkins != null) {
            return jenkins;
        }
        String server = System.getenv("GITHUB_SERVER_URL");
        String repo = System.getenv("GITHUB_REPOSITORY");
        String run = System.getenv("GITHUB_RUN_ID");
        return server != null && repo != null && run != null ? server + "/" + repo + "/actions/runs/" + run : "";
    }
}
