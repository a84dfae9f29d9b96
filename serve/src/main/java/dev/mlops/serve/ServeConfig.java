package dev.mlops.serve;

import java.time.Duration;

/**
 * How the model server listens and what it accepts.
 *
 * @param host           address to bind; default (null or blank) {@value #DEFAULT_HOST}, so only this machine can connect
 *                       unless the caller asks for more, e.g. {@code 0.0.0.0} in a container
 * @param port           TCP port; 0 picks a free one (tests), read it back with {@link ModelServer#port()}
 * @param maxBodyBytes   larger request bodies are refused with 413, from Content-Length before reading or while reading
 * @param maxBatch       most rows one request may carry; more is refused with 413
 * @param threads        request-handling threads
 * @param drainTimeout   upper bound for a graceful stop, grace period included
 * @param drainGrace     how long to keep serving after readiness turns 503, so load balancers stop sending first
 * @param warmupRequests synthetic predictions run through the full request path before the server reports ready
 * @param connections    how many connections are held and how long each may idle or take to send a request
 */
public record ServeConfig(String host, int port, int maxBodyBytes, int maxBatch, int threads, Duration drainTimeout,
                          Duration drainGrace, int warmupRequests, Connections connections) {

    /** Loopback, as {@code mlflow models serve} and gunicorn default to: exposing a model is the caller's choice. */
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_MAX_BATCH = 1000;

    public ServeConfig {
        if (host == null || host.isBlank()) {
            host = DEFAULT_HOST;
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if (maxBodyBytes <= 0) {
            throw new IllegalArgumentException("max body bytes must be positive, got " + maxBodyBytes);
        }
        if (maxBatch <= 0) {
            throw new IllegalArgumentException("max batch must be positive, got " + maxBatch);
        }
        if (threads <= 0) {
            threads = defaultThreads();
        }
        drainTimeout = drainTimeout == null ? Duration.ofSeconds(20) : drainTimeout;
        drainGrace = drainGrace == null ? Duration.ZERO : drainGrace;
        if (drainTimeout.isNegative() || drainGrace.isNegative()) {
            throw new IllegalArgumentException("drain durations must not be negative");
        }
        if (warmupRequests < 0) {
            warmupRequests = 0;
        }
        connections = connections == null ? Connections.DEFAULTS : connections;
    }

    /** With the default connection limits. */
    public ServeConfig(String host, int port, int maxBodyBytes, int maxBatch, int threads, Duration drainTimeout,
                       Duration drainGrace, int warmupRequests) {
        this(host, port, maxBodyBytes, maxBatch, threads, drainTimeout, drainGrace, warmupRequests, null);
    }

    /**
     * What keeps abusive clients from holding the server: a connection cap, and three clocks. A connection with no
     * request in progress is closed after {@code idleTimeout}; a request's headers must arrive within
     * {@code headerTimeout} of its first byte and its body within {@code bodyTimeout} of its headers (a chunked
     * body that never ends included), or the client gets 408 and the connection closes.
     *
     * @param maxConnections connections held at once; 0 derives it from the open-file limit (at most
     *                       {@value #AUTO_MAX_CONNECTIONS}). At the cap a new connection displaces the oldest idle one,
     *                       or is closed at once when every connection is busy.
     */
    public record Connections(int maxConnections, Duration idleTimeout, Duration headerTimeout, Duration bodyTimeout) {
        /** The upper bound of the derived cap: far above what one model server's cores can keep busy. */
        public static final int AUTO_MAX_CONNECTIONS = 10_000;
        public static final Duration DEFAULT_IDLE = Duration.ofSeconds(60);
        public static final Duration DEFAULT_HEADERS = Duration.ofSeconds(10);
        public static final Duration DEFAULT_BODY = Duration.ofSeconds(30);
        public static final Connections DEFAULTS = new Connections(0, null, null, null);

        public Connections {
            if (maxConnections < 0) {
                throw new IllegalArgumentException("max connections must be 0 (derived from the open-file limit) or "
                        + "positive, got " + maxConnections);
            }
            idleTimeout = positive(idleTimeout, DEFAULT_IDLE, "idle timeout");
            headerTimeout = positive(headerTimeout, DEFAULT_HEADERS, "header timeout");
            bodyTimeout = positive(bodyTimeout, DEFAULT_BODY, "body timeout");
        }

        private static Duration positive(Duration d, Duration fallback, String what) {
            if (d == null) {
                return fallback;
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d.toMillis() + " ms");
            }
            return d;
        }
    }

    /** Defaults: loopback, port 8080, 1 MiB bodies, 1000 rows, 3 s grace within 20 s drain. */
    public static ServeConfig defaults() {
        return new ServeConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH, 0,
                Duration.ofSeconds(20), Duration.ofSeconds(3), 2000);
    }

    /** Loopback, a free port, no grace period and a short warm-up: what in-process tests want. */
    public static ServeConfig forTests() {
        return new ServeConfig("127.0.0.1", 0, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_BATCH, 4,
                Duration.ofSeconds(10), Duration.ZERO, 50);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(host, p, maxBodyBytes, maxBatch, threads, drainTimeout, drainGrace, warmupRequests,
                connections);
    }

    public ServeConfig withLimits(int bodyBytes, int batch) {
        return new ServeConfig(host, port, bodyBytes, batch, threads, drainTimeout, drainGrace, warmupRequests,
                connections);
    }

    public ServeConfig withDrain(Duration timeout, Duration grace) {
        return new ServeConfig(host, port, maxBodyBytes, maxBatch, threads, timeout, grace, warmupRequests, connections);
    }

    public ServeConfig withConnections(Connections c) {
        return new ServeConfig(host, port, maxBodyBytes, maxBatch, threads, drainTimeout, drainGrace, warmupRequests, c);
    }

    /**
     * One event loop per core, at least 2: requests never block a loop (I/O is non-blocking, a prediction takes
     * microseconds), so more loops than cores only add context switches, stacks and buffer caches.
     */
    static int defaultThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }
}
