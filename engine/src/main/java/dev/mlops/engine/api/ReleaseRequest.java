package dev.mlops.engine.api;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The settings of an operation that moves traffic (deploy, rollback): replicas, smoke test, post-switch verification,
 * ledger size, registry alias, who and from which build, and the lock's lease. Null means the spec's value, else the
 * one default in {@link dev.mlops.engine.deploy.DeployDefaults}.
 */
public abstract class ReleaseRequest<R extends ReleaseRequest<R>> extends TargetRequest<R> {
    private static final long serialVersionUID = 1L;

    private Integer replicas;
    private Integer warmReplicas;
    private Duration readyTimeout;
    private String smokeSamples;
    private Double minAgreement;
    private Duration latencyBudget;
    private Duration smokeTimeout;
    private Duration verifyWindow;
    private Duration verifyInterval;
    private Double maxErrorRate;
    private Integer history;
    private String alias;
    private String who;
    private String buildUrl;
    private Duration lockTtl;

    ReleaseRequest() {
    }

    @SuppressWarnings("unchecked")
    private R set(Consumer<ReleaseRequest<R>> change) {
        return copy(c -> change.accept((ReleaseRequest<R>) c));
    }

    public R withReplicas(Integer v) {
        return set(c -> c.replicas = v);
    }

    public R withWarmReplicas(Integer v) {
        return set(c -> c.warmReplicas = v);
    }

    public R withReadyTimeout(Duration v) {
        return set(c -> c.readyTimeout = v);
    }

    /** CSV of feature rows with the expected label last. */
    public R withSmokeSamples(String v) {
        return set(c -> c.smokeSamples = v);
    }

    public R withMinAgreement(Double v) {
        return set(c -> c.minAgreement = v);
    }

    public R withLatencyBudget(Duration v) {
        return set(c -> c.latencyBudget = v);
    }

    public R withSmokeTimeout(Duration v) {
        return set(c -> c.smokeTimeout = v);
    }

    /** How long the public endpoint is probed after the switch (rollbacks have their own, shorter default). */
    public R withVerifyWindow(Duration v) {
        return set(c -> c.verifyWindow = v);
    }

    public R withVerifyInterval(Duration v) {
        return set(c -> c.verifyInterval = v);
    }

    public R withMaxErrorRate(Double v) {
        return set(c -> c.maxErrorRate = v);
    }

    public R withHistory(Integer v) {
        return set(c -> c.history = v);
    }

    /** The registry alias moved with traffic. */
    public R withAlias(String v) {
        return set(c -> c.alias = v);
    }

    public R withWho(String v) {
        return set(c -> c.who = v);
    }

    public R withBuildUrl(String v) {
        return set(c -> c.buildUrl = v);
    }

    public R withLockTtl(Duration v) {
        return set(c -> c.lockTtl = v);
    }

    public Integer replicas() {
        return replicas;
    }

    public Integer warmReplicas() {
        return warmReplicas;
    }

    public Duration readyTimeout() {
        return readyTimeout;
    }

    public String smokeSamples() {
        return smokeSamples;
    }

    public Double minAgreement() {
        return minAgreement;
    }

    public Duration latencyBudget() {
        return latencyBudget;
    }

    public Duration smokeTimeout() {
        return smokeTimeout;
    }

    public Duration verifyWindow() {
        return verifyWindow;
    }

    public Duration verifyInterval() {
        return verifyInterval;
    }

    public Double maxErrorRate() {
        return maxErrorRate;
    }

    public Integer history() {
        return history;
    }

    public String alias() {
        return alias;
    }

    public String who() {
        return who;
    }

    public String buildUrl() {
        return buildUrl;
    }

    public Duration lockTtl() {
        return lockTtl;
    }

    @Override
    List<Object> values() {
        List<Object> v = super.values();
        v.addAll(java.util.Arrays.asList(replicas, warmReplicas, readyTimeout, smokeSamples, minAgreement,
                latencyBudget, smokeTimeout, verifyWindow, verifyInterval, maxErrorRate, history, alias, who, buildUrl,
                lockTtl));
        return v;
    }
}
