package dev.mlops.engine.deploy;

import java.time.Instant;

/** Who holds an app's deploy lock, from where, and until when. {@code token} tells two runs of one user apart. */
public record LockInfo(String holder, String buildUrl, String token, Instant acquiredAt, Instant expiresAt) {

    public String describe() {
        return holder + (buildUrl == null || buildUrl.isBlank() ? "" : " (" + buildUrl + ")") + " until " + expiresAt;
    }
}
