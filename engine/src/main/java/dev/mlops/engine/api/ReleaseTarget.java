package dev.mlops.engine.api;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Secret;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.DeployDefaults;
import dev.mlops.engine.deploy.KubeAccess;
import dev.mlops.engine.deploy.KubeSettings;
import dev.mlops.engine.deploy.KubernetesTarget;
import dev.mlops.engine.deploy.LocalTarget;
import dev.mlops.engine.deploy.Target;
import dev.mlops.engine.spec.DeploySpec;
import dev.mlops.engine.spec.PipelineSpec;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where one environment of an app runs, resolved once from a request, the spec's {@code deploy} section and the
 * defaults, in that order: the app, local (state folder, public port) or Kubernetes (namespace), the registry. Staging
 * differs from production in port and state folder (local) or namespace (Kubernetes), never shares them.
 */
record ReleaseTarget(PipelineSpec spec, String environment, String app, boolean kubernetes, Path stateDir, int port,
                     String namespace, String trackingUri) {

    /** A Kubernetes namespace name (RFC 1123 label). */
    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    boolean staging() {
        return TargetRequest.STAGING.equals(environment);
    }

    /** The spec's deploy section, or null without a spec. */
    DeploySpec deploySpec() {
        return spec == null ? null : spec.deploy();
    }

    /** The folder git and relative defaults start from: the spec's, else the working directory. */
    Path baseDir(EngineContext ctx) {
        return spec == null ? ctx.workDir() : spec.baseDir();
    }

    static ReleaseTarget resolve(TargetRequest<?> req, EngineContext ctx) {
        String env = req.environment().toLowerCase(Locale.ROOT);
        if (!env.equals(TargetRequest.PRODUCTION) && !env.equals(TargetRequest.STAGING)) {
            throw new InputException("environment must be 'production' or 'staging', got '" + req.environment() + "'");
        }
        boolean staging = env.equals(TargetRequest.STAGING);
        PipelineSpec spec = req.spec() == null ? null : Specs.load(ctx, req.spec(), req.overrides());
        DeploySpec d = spec == null ? null : spec.deploy();
        String app = first(req.app(), d == null ? null : d.app());
        if (app == null) {
            throw new InputException("an app name is required: --app, or a spec (-f) with deploy.app or name");
        }
        // The app names the state folder and the Kubernetes objects: checked before any path is built from it.
        if (!DeployConfig.isValidApp(app)) {
            throw new InputException("app '" + app + "' (" + (req.app() != null ? "--app" : "deploy.app, or name, in "
                    + spec.file()) + ") must be " + DeployConfig.APP_RULE);
        }
        String kind = first(req.target(), d == null ? null : d.target(), DeployDefaults.TARGET);
        boolean kubernetes = switch (kind) {
            case "kubernetes", "k8s" -> true;
            case "local" -> false;
            default -> throw new InputException("target must be 'local' or 'kubernetes', got '" + kind + "'");
        };
        Path base = spec == null ? ctx.workDir() : spec.baseDir();
        Path stateDir = req.stateDir() != null ? ctx.resolve(req.stateDir())
                : base.resolve(".mlops").resolve("local").resolve(staging ? app + "-" + TargetRequest.STAGING : app);
        Integer specPort = d == null ? null : staging ? d.stagingPort() : d.port();
        int port = first(req.port(), specPort, staging ? DeployDefaults.STAGING_PORT : DeployDefaults.PORT);
        String namespace = req.namespace();
        if (namespace == null) {
            String production = d == null ? DeployDefaults.NAMESPACE : d.namespace();
            namespace = staging ? first(d == null ? null : d.stagingNamespace(), production) : production;
            if (staging && kubernetes && namespace.equals(production)) {
                throw new InputException("staging on Kubernetes needs its own namespace (production uses '" + production
                        + "'): set deploy.stagingNamespace in the spec or pass --namespace");
            }
        }
        // A namespace is a segment of every API path the client builds.
        if (kubernetes && !NAMESPACE.matcher(namespace).matches()) {
            throw new InputException("namespace '" + namespace + "' (" + (req.namespace() != null ? "--namespace"
                    : (staging ? "deploy.stagingNamespace" : "deploy.namespace") + " in " + spec.file())
                    + ") must be a DNS label: lower-case letters, digits and '-', starting and ending with a letter or"
                    + " digit, at most 63 characters");
        }
        return new ReleaseTarget(spec, env, app, kubernetes, stateDir, port, namespace,
                Specs.trackingUri(ctx, spec, req.trackingUri()));
    }

    /** Opens the target: a Kubernetes client (nothing is contacted yet) or the local state folder. */
    Target open(TargetRequest<?> req, EngineContext ctx) {
        if (kubernetes) {
            // deploy.kubernetes: how pods get their model, and their port.
            KubeSettings settings = KubeSettings.of(namespace, deploySpec() == null ? null : deploySpec().kubernetes(),
                    req.endpointTemplate());
            return new KubernetesTarget(access(req, ctx).connect(namespace), app, settings, ctx.log(), ctx.clock(),
                    ctx.sleeper());
        }
        EngineContext.LocalRuntime runtime = ctx.localRuntime();
        if (runtime == null) {
            throw new InputException("local target: this front end gave the engine no local runtime (java binary and "
                    + "classpath) to start model servers and the proxy with");
        }
        List<String> server;
        if (req.serverCmd() != null && !req.serverCmd().isBlank()) {
            server = Arrays.asList(req.serverCmd().trim().split("\\s+"));
        } else {
            // The same 'mlops serve' a pod runs; credentials reach it through the inherited environment, never argv.
            server = new ArrayList<>(runtime.serveCommand());
            server.addAll(List.of("--host", "127.0.0.1", "--port", "{port}", "--model", "{model}",
                    "--model-name", "{name}", "--model-version", "{version}"));
            if (trackingUri != null) {
                server.addAll(List.of("--tracking-uri", trackingUri));
            }
        }
        List<String> proxy = new ArrayList<>(runtime.proxyCommand());
        proxy.addAll(List.of("--port", "{port}", "--admin-port", "{adminPort}", "--upstream", "{upstream}"));
        return new LocalTarget(app, new LocalTarget.Config(stateDir, port, server, proxy, null), ctx.serverClient(),
                ctx.log(), ctx.clock());
    }

    /** The pod's service account, an API server plus token, or a kubeconfig (option, spec, KUBECONFIG, ~/.kube/config). */
    private KubeAccess access(TargetRequest<?> req, EngineContext ctx) {
        if (req.inCluster()) {
            String host = ctx.variable("KUBERNETES_SERVICE_HOST");
            if (host == null) {
                throw new InputException("in-cluster: KUBERNETES_SERVICE_HOST is not set (not running in a pod?)");
            }
            String p = first(ctx.variable("KUBERNETES_SERVICE_PORT"), "443");
            return KubeAccess.inCluster("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + p,
                    KubeAccess.SERVICE_ACCOUNT);
        }
        if (req.apiServer() != null) {
            Secret token = ctx.kubeToken();
            if (token == null) {
                throw new InputException("API server " + req.apiServer() + " needs a Kubernetes token (the mlops CLI "
                        + "reads it from $MLOPS_KUBE_TOKEN, never from the command line)");
            }
            return KubeAccess.token(req.apiServer(), token, req.caFile() == null ? null : ctx.resolve(req.caFile()),
                    req.insecureSkipTlsVerify());
        }
        Path file;
        DeploySpec d = deploySpec();
        if (req.kubeconfig() != null) {
            file = ctx.resolve(req.kubeconfig());
        } else if (d != null && d.kubeconfig() != null) {
            file = spec.baseDir().resolve(d.kubeconfig()).normalize();
        } else if (ctx.variable("KUBECONFIG") != null) {
            file = ctx.resolve(ctx.variable("KUBECONFIG").split(File.pathSeparator)[0]);
        } else if (ctx.variable("HOME") != null) {
            file = Path.of(ctx.variable("HOME"), ".kube", "config");
        } else {
            throw new InputException("kubernetes: no kubeconfig: pass --kubeconfig, --in-cluster or --api-server");
        }
        return KubeAccess.kubeconfig(file, req.context());
    }

    @SafeVarargs
    static <T> T first(T... values) {
        for (T v : values) {
            if (v != null && !(v instanceof String s && s.isBlank())) {
                return v;
            }
        }
        return null;
    }
}
