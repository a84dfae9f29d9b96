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
 */
public record ServeConfig(String host, int port, int maxBodyBytes, int maxBatch, int threads, Duration drainTimeout,
                          Duration drainGrace, int warmupRequests) {

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
        return new ServeConfig(host, p, maxBodyBytes, maxBatch, threads, drainTimeout, drainGrace, warmupRequests);
    }

    public ServeConfig withLimits(int bodyBytes, int batch) {
        return new ServeConfig(host, port, bodyBytes, batch, threads, drainTimeout, drainGrace, warmupRequests);
    }

    public ServeConfig withDrain(Duration timeout, Duration grace) {
        return new ServeConfig(host, port, maxBodyBytes, maxBatch, threads, timeout, grace, warmupRequests);
    }

    /** Twice the cores, at least 4: handlers are CPU-bound, a few extra cover threads blocked on slow clients. */
    static int defaultThreads() {
        return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
    }
}
