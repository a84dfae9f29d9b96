package dev.mlops.engine.deploy;

import java.time.Duration;
import java.util.Optional;

/**
 * One deploy at a time per app and environment. {@link #acquire} fails fast with an {@code InfraException} naming
 * the holder, its build URL and the expiry; an expired lock is taken over, and so is a lock whose holder process is
 * gone from this machine (a {@code kill -9}). Holders renew while they work, so a dead run elsewhere frees the lock
 * within one TTL.
 */
public interface Lock {

    LockInfo acquire(String holder, String buildUrl, Duration ttl);

    /** Extends the expiry; InfraException when someone else took the lock over meanwhile. */
    LockInfo renew(LockInfo held, Duration ttl);

    /** Releases the lock if {@code held} still owns it; never throws for a lock already gone. */
    void release(LockInfo held);

    Optional<LockInfo> current();

    /** Marks the current holder as asked to abort; empty when nobody holds the lock. */
    Optional<LockInfo> requestAbort(String by);
}
