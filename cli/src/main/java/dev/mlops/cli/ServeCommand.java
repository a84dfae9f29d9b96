package dev.mlops.cli;

import dev.mlops.engine.InputException;
import dev.mlops.engine.tracking.Tracker;
import dev.mlops.serve.ModelServer;
import dev.mlops.serve.ModelSource;
import dev.mlops.serve.ServeConfig;
import dev.mlops.serve.ServedModel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Function;

/** {@code mlops serve}: loads a model (file or registry), warms up, serves until SIGTERM, then drains. */
@Command(name = "serve", mixinStandardHelpOptions = true, defaultValueProvider = EnvDefaults.class,
        description = {"Serve a model over HTTP: /predict, MLflow /invocations, Open Inference Protocol V2, /metrics.",
                "Readiness (/ready) turns 503 on SIGTERM; in-flight requests finish before exit."},
        footer = {"", "Every option can also be set by an environment variable, for a container's env without a shell:",
                "--model by MLOPS_MODEL, --port by MLOPS_PORT, --max-body-bytes by MLOPS_MAX_BODY_BYTES, and so on",
                "(MLOPS_ and the option's name in capitals, '-' as '_'). An option given on the command line wins."})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "<file|models:/name@alias|models:/name/version>",
            description = "Tribuo protobuf model file, or a registry reference (checksum verified before serving).")
    String model;

    @Option(names = "--port", defaultValue = "8080", description = "TCP port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = ServeConfig.DEFAULT_HOST,
            description = "Address to bind (default: ${DEFAULT-VALUE}, this machine only; a container passes 0.0.0.0).")
    String host;

    @Option(names = "--model-name", description = "Name announced in responses (default: registry or schema name).")
    String modelName;

    @Option(names = "--model-version",
            description = "Version announced in X-Model-Version (default: registry version, or the file's SHA-256 prefix).")
    String modelVersion;

    @Option(names = "--max-body-bytes", defaultValue = "1048576",
            description = "Largest request body; larger gets 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyBytes;

    @Option(names = "--max-batch", defaultValue = "1000",
            description = "Most rows in one request; more gets 413 (default: ${DEFAULT-VALUE}).")
    int maxBatch;

    @Option(names = "--max-connections", defaultValue = "0",
            description = "Connections held at once; at the cap a newcomer displaces the oldest idle one "
                    + "(default: derived from the open-file limit, at most 10000).")
    int maxConnections;

    @Option(names = "--idle-timeout", defaultValue = "60", paramLabel = "<seconds>",
            description = "Close a connection with no request in progress after this long (default: ${DEFAULT-VALUE}).")
    double idleTimeoutSeconds;

    @Option(names = "--header-timeout", defaultValue = "10", paramLabel = "<seconds>",
            description = "A request's headers must arrive within this long of its first byte, else 408 "
                    + "(default: ${DEFAULT-VALUE}).")
    double headerTimeoutSeconds;

    @Option(names = "--body-timeout", defaultValue = "30", paramLabel = "<seconds>",
            description = "A request's body (chunked included) must arrive within this long of its headers, else 408 "
                    + "(default: ${DEFAULT-VALUE}).")
    double bodyTimeoutSeconds;

    @Option(names = "--threads", defaultValue = "0", description = "Event-loop threads (default: one per core, at least 2).")
    int threads;

    @Option(names = "--drain-timeout", defaultValue = "20", paramLabel = "<seconds>",
            description = "Upper bound for a graceful stop after SIGTERM (default: ${DEFAULT-VALUE}).")
    double drainTimeoutSeconds;

    @Option(names = "--drain-grace", defaultValue = "3", paramLabel = "<seconds>",
            description = "Keep serving this long after /ready turns 503, so load balancers stop routing first "
                    + "(default: ${DEFAULT-VALUE}; counted within --drain-timeout).")
    double drainGraceSeconds;

    @Option(names = "--warmup-requests", defaultValue = "2000",
            description = "Synthetic predictions before /ready reports 200 (default: ${DEFAULT-VALUE}).")
    int warmupRequests;

    @Option(names = "--tracking-uri", defaultValue = "${env:MLFLOW_TRACKING_URI}",
            description = "Tracking backend for models:/ references: a directory or an MLflow URL "
                    + "(default: $MLFLOW_TRACKING_URI).")
    String trackingUri;

    private final Function<String, Tracker> trackerOpener;

    /** With no tracking backend wired: registry references are refused with a clear message. */
    public ServeCommand() {
        this(uri -> {
            throw new InputException("--model models:/...: this build has no tracking backend wired into 'serve'; "
                    + "pass a model file instead");
        });
    }

    /** @param trackerOpener opens the tracking backend for a {@code --tracking-uri}; called only for models:/ references */
    public ServeCommand(Function<String, Tracker> trackerOpener) {
        this.trackerOpener = trackerOpener;
    }

    @Override
    public Integer call() throws InterruptedException {
        // The model server is Netty (TCP_NODELAY set per connection); this covers any JDK HttpServer started in the
        // same process, which without it stalls every keep-alive response by ~40 ms. Must precede its first use.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (model == null || model.isBlank()) {
            throw new InputException("give --model (or set MLOPS_MODEL): a model file, models:/<name>@<alias> or "
                    + "models:/<name>/<version>");
        }
        ServeConfig config = config();
        ConsoleLog log = new ConsoleLog(new java.io.PrintWriter(System.err, true), false);
        if (ModelSource.isRegistryReference(model) && (trackingUri == null || trackingUri.isBlank())) {
            throw new InputException("--model " + model + " is a registry reference; give --tracking-uri or set MLFLOW_TRACKING_URI");
        }
        Path downloads;
        try {
            downloads = Files.createTempDirectory("mlops-serve-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a download directory: " + e.getMessage(), e);
        }
        ServedModel served = ModelSource.resolve(model, () -> trackerOpener.apply(trackingUri), downloads,
                modelName, modelVersion, log);
        ModelServer server = new ModelServer(served, config, log);
        server.open();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "mlops-serve-drain"));
        server.warmUp();
        server.awaitStopped();
        return 0;
    }

    /** Runs {@code serve} on its own: {@code java -cp mlops.jar:lib/* dev.mlops.cli.ServeCommand --model ...}. */
    public static void main(String[] args) {
        CommandLine cl = new CommandLine(new ServeCommand(Main::openTracker));
        cl.setExecutionExceptionHandler((ex, line, parse) -> Main.handle(ex, line.getErr()));
        System.exit(cl.execute(args));
    }

    private static Duration seconds(double s) {
        return Duration.ofMillis(Math.round(s * 1000));
    }

    ServeConfig config() {
        if (drainTimeoutSeconds < 0 || drainGraceSeconds < 0) {
            throw new InputException("--drain-timeout and --drain-grace must not be negative");
        }
        try {
            return new ServeConfig(host, port, maxBodyBytes, maxBatch, threads, seconds(drainTimeoutSeconds),
                    seconds(drainGraceSeconds), warmupRequests, new ServeConfig.Connections(maxConnections,
                    seconds(idleTimeoutSeconds), seconds(headerTimeoutSeconds), seconds(bodyTimeoutSeconds)));
        } catch (IllegalArgumentException e) {
            throw new InputException("serve: " + e.getMessage());
        }
    }
}
