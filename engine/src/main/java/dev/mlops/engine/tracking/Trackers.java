package dev.mlops.engine.tracking;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;

/** Picks the tracking backend for a URI from the spec or the command line. */
public final class Trackers {
    private Trackers() {
    }

    /**
     * {@code http://} or {@code https://} opens an {@link MlflowServer}; a {@code file:} URI or a plain path (relative
     * to {@code baseDir}, the folder of mlops.yaml) opens a {@link LocalStore}. Nothing is contacted or written
     * before the first call; a local store's folder appears with its first run.
     */
    public static Tracker open(String uri, Path baseDir, TrackingCredentials credentials, Timeouts timeouts, Log log) {
        return open(uri, baseDir, credentials, timeouts, log, Clock.systemUTC());
    }

    /** As above, with the clock that stamps run start/end times, metric timestamps and registry times. */
    public static Tracker open(String uri, Path baseDir, TrackingCredentials credentials, Timeouts timeouts, Log log,
                               Clock clock) {
        if (uri == null || uri.isBlank()) {
            throw new InputException("tracking URI is empty; expected a folder such as 'mlruns' or an http(s):// MLflow server");
        }
        String lower = uri.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            warnIfPlainHttp(uri, credentials, log);
            return new MlflowServer(uri, credentials, timeouts, log, clock, MlflowServer.Retry.DEFAULT);
        }
        Path root;
        try {
            if (lower.startsWith("file:")) {
                String rest = uri.substring(5);
                // file:/abs and file:///abs are absolute URIs; file:mlruns is a path relative to the spec's folder
                root = rest.startsWith("/") ? Path.of(URI.create(uri)) : baseDir.resolve(rest);
            } else if (uri.matches("^[a-zA-Z][a-zA-Z0-9+.-]+://.*")) {
                throw new InputException("tracking URI '" + MlflowServer.stripUserInfo(uri)
                        + "' has an unsupported scheme; expected http(s)://, file: or a folder path");
            } else {
                root = baseDir.resolve(uri);
            }
        } catch (IllegalArgumentException e) {
            throw new InputException("tracking URI '" + MlflowServer.stripUserInfo(uri) + "' is not a valid file URI or path: " + e.getMessage());
        }
        return new LocalStore(root, clock);
    }

    /** A token or password sent over http:// can be read by anyone on the way; say so, once, before it is sent. */
    private static void warnIfPlainHttp(String uri, TrackingCredentials credentials, Log log) {
        boolean secret = credentials != null && (credentials.token() != null || credentials.password() != null)
                || uri.matches("(?i)^http://[^/@]*:[^/@]*@.*");
        if (secret && uri.regionMatches(true, 0, "http://", 0, 7) && log != null) {
            log.warn("tracking: credentials are sent to " + MlflowServer.stripUserInfo(uri) + " over plain http, "
                    + "readable by anyone on the network path; use https");
        }
    }
}
