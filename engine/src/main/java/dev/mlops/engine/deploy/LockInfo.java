package dev.mlops.engine.deploy;

import java.time.Instant;

/**
 * Who holds an app's deploy lock, from where, and until when. {@code token} tells two runs of one user apart;
 * {@code process} (null in locks written by older versions) lets a run on the same machine take over the lock at
 * once when its holder was killed; {@code abortRequestedBy} is set by {@code mlops abort} and seen by the holder.
 */
public record LockInfo(String holder, String buildUrl, String token, Instant acquiredAt, Instant expiresAt,
                       ProcessIdentity process, String abortRequestedBy) {

    public LockInfo(String holder, String buildUrl, String token, Instant acquiredAt, Instant expiresAt) {
        this(holder, buildUrl, token, acquiredAt, expiresAt, null, null);
    }

    public LockInfo withExpiry(Instant expires) {
        return new LockInfo(holder, buildUrl, token, acquiredAt, expires, process, abortRequestedBy);
    }

    public LockInfo withAbortRequestedBy(String by) {
        return new LockInfo(holder, buildUrl, token, acquiredAt, expiresAt, process, by);
    }

    /** The holder's process is known to be gone (same machine only). */
    public boolean holderGone() {
        return process != null && process.goneHere();
    }

    public String describe() {
        return holder + (buildUrl == null || buildUrl.isBlank() ? "" : " (" + buildUrl + ")") + " until " + expiresAt;
    }
}
