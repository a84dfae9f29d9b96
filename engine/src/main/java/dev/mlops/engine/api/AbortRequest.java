package dev.mlops.engine.api;

import java.time.Duration;

/**
 * {@code mlops abort} (issue 9 §10): stops the deploy or rollback of an app and environment that is in progress, as
 * Argo Rollouts' abort does. A running deploy is asked through its lock and switches back itself; a deploy that died
 * is cleaned up by the abort. Either way traffic ends on the stable color and the release is recorded ABORTED.
 * {@code wait} bounds how long the abort waits for a running deploy to stop (default 120 s).
 */
public final class AbortRequest extends TargetRequest<AbortRequest> {
    private static final long serialVersionUID = 1L;
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(120);

    private String who;
    private String buildUrl;
    private Duration wait = DEFAULT_WAIT;

    public AbortRequest() {
    }

    /** Recorded as who aborted (default: the CI user or OS user). */
    public AbortRequest withWho(String v) {
        return copy(c -> ((AbortRequest) c).who = v);
    }

    public AbortRequest withBuildUrl(String v) {
        return copy(c -> ((AbortRequest) c).buildUrl = v);
    }

    public AbortRequest withWait(Duration v) {
        return copy(c -> ((AbortRequest) c).wait = v == null ? DEFAULT_WAIT : v);
    }

    public String who() {
        return who;
    }

    public String buildUrl() {
        return buildUrl;
    }

    public Duration waitFor() {
        return wait;
    }

    @Override
    java.util.List<Object> values() {
        java.util.List<Object> v = super.values();
        v.addAll(java.util.Arrays.asList(who, buildUrl, wait));
        return v;
    }
}
