package dev.mlops.engine.deploy;

import java.time.Duration;
import java.util.Optional;

/**
 * One deploy at a time per app. {@link #acquire} fails fast with an {@code InfraException} naming the holder, its build
 * URL and the expiry; an expired lock is taken over. Holders renew while they work, so a dead run frees the lock within
 * one TTL.
 */
public interface Lock {

    LockInfo acquire(String holder, String buildUrl, Duration ttl);

    /** Extends the expiry; InfraException when someone else took the lock over meanwhile. */
    LockInfo renew(LockInfo held, Duration ttl);

    /** Releases the lock if {@code held} still owns it; never throws for a lock already gone. */
    void release(LockInfo held);

    Optional<LockInfo> current();
}
