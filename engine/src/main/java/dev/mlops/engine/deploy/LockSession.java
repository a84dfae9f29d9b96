package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A held deploy lock for one command. {@link #tick} is called wherever the run waits: it renews the lease when half
 * of it is used (so a dead run's lock expires within one TTL) and throws {@link AbortRequestedException} once
 * {@code mlops abort} has marked the lock.
 */
final class LockSession implements AutoCloseable {
    private final Lock lock;
    private final Duration ttl;
    private final Clock clock;
    private final Log log;
    private LockInfo held;
    private String abortBy;

    private LockSession(Lock lock, LockInfo held, Duration ttl, Clock clock, Log log) {
        this.lock = lock;
        this.held = held;
        this.ttl = ttl;
        this.clock = clock;
        this.log = log;
    }

    static LockSession acquire(Target target, String who, String buildUrl, Duration ttl, String app, Clock clock,
                               Log log) {
        LockInfo held = target.lock().acquire(who, buildUrl, ttl);
        log.info("lock: " + app + " locked by " + who + " until " + held.expiresAt() + " (" + target.describe() + ")");
        return new LockSession(target.lock(), held, ttl, clock, log);
    }

    LockInfo held() {
        return held;
    }

    /** Renews when due; throws when an abort was requested. */
    void tick() {
        checkAbort();
        Instant renewAt = held.expiresAt().minus(ttl.dividedBy(2));
        if (!clock.instant().isBefore(renewAt)) {
            held = lock.renew(held, ttl);
        }
    }

    /** Throws {@link AbortRequestedException} when {@code mlops abort} marked this lock. */
    void checkAbort() {
        if (abortBy == null) {
            Optional<LockInfo> cur = lock.current().filter(c -> c.token().equals(held.token()));
            cur.map(LockInfo::abortRequestedBy).ifPresent(by -> {
                abortBy = by;
                log.warn("abort requested by " + by + "; stopping this run");
            });
        }
        if (abortBy != null) {
            throw new AbortRequestedException(abortBy);
        }
    }

    /** Releases the lock, also on an interrupted thread; a failure is reported, never thrown. */
    @Override
    public void close() {
        Interrupts.uninterruptibly(() -> {
            try {
                lock.release(held);
                log.info("lock: released");
            } catch (RuntimeException e) {
                log.warn("could not release the deploy lock (it expires at " + held.expiresAt() + "): " + e.getMessage());
            }
        });
    }

    static InfraException held(String app, LockInfo c, String where) {
        return new InfraException("another deploy of " + app + " is running: the lock is held by " + c.describe()
                + " (" + where + ")");
    }
}
