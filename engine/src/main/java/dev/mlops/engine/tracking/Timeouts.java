package dev.mlops.engine.tracking;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait for an MLflow server. {@code connect}: one TCP connection attempt. {@code request}: one HTTP
 * exchange, from sending the request to the last byte of the reply (an artifact upload gets one more second per MiB).
 * {@code deadline}: one tracker call with all its retries, back-off and the lookups that make a create safe to retry;
 * a server that accepts connections and never answers fails a call within it.
 */
public record Timeouts(Duration connect, Duration request, Duration deadline) {
    /** MLflow answers in milliseconds; these leave room for a loaded server and fail a dead one in seconds. */
    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30));

    public Timeouts {
        for (Duration d : new Duration[]{connect, request, deadline}) {
            if (Objects.requireNonNull(d).isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, got " + d);
            }
        }
    }

    public static Timeouts ofSeconds(int connect, int request, int deadline) {
        return new Timeouts(Duration.ofSeconds(connect), Duration.ofSeconds(request), Duration.ofSeconds(deadline));
    }
}
