package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;
import dev.mlops.engine.MlopsException;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The single steps of a release, each with its log lines, shared by deploys, rollbacks and aborts: wait for a
 * rollout, verify through an endpoint, bring a color to capacity, switch back (retried), delayed scale-downs and
 * ledger records. Every step that cleans up after a failure runs uninterruptibly.
 */
final class Steps {
    static final Duration POLL = Duration.ofSeconds(1);
    static final int SWITCH_BACK_ATTEMPTS = 4;
    static final Duration SWITCH_BACK_BACKOFF = Duration.ofSeconds(1);
    /** Answers of the new version in a row that make a switched endpoint settled. */
    static final int SETTLED_IN_A_ROW = 3;
    static final Duration SETTLE_PAUSE = Duration.ofMillis(500);

    final Target target;
    final ServerClient client;
    final Log log;
    final Clock clock;
    final Sleeper sleeper;

    Steps(Target target, ServerClient client, Log log, Clock clock, Sleeper sleeper) {
        this.target = target;
        this.client = client;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    Optional<String> awaitReady(Color color, int replicas, Duration timeout, LockSession s) {
        Instant deadline = clock.instant().plus(timeout);
        Instant start = clock.instant();
        String last = "";
        while (true) {
            Readiness r = target.readiness(color, replicas);
            switch (r.state()) {
                case READY -> {
                    log.info("rollout: " + color.id() + " ready (" + r.detail() + ")");
                    return Optional.empty();
                }
                case HOPELESS -> {
                    return Optional.of("rollout of " + color.id() + " cannot succeed: " + r.detail());
                }
                default -> {
                    if (!r.detail().equals(last)) {
                        log.info("rollout: " + color.id() + " waiting: " + r.detail());
                        last = r.detail();
                    }
                }
            }
            if (!clock.instant().isBefore(deadline)) {
                return Optional.of("rollout of " + color.id() + " not ready after " + timeout.toSeconds() + " s: " + last);
            }
            log.progress("rollout " + color.id(), Duration.between(start, clock.instant()).toSeconds(),
                    timeout.toSeconds(), r.detail());
            s.tick();
            sleeper.sleep(POLL);
        }
    }

    /**
     * Verification through {@code base} after a switch: first the endpoint must settle on the new version
     * ({@link #settle}), then health (and predictions, when sample rows are given) for the verify window. A probe that
     * fails counts against the error rate; an answer from the version before (a stale endpoint reaching the color
     * left) is counted apart, never as this release's error.
     */
    Optional<String> verify(URI base, DeployConfig cfg, LockSession s) {
        long rounds = Math.max(1, cfg.verifyWindow().toMillis() / cfg.verifyInterval().toMillis());
        int perRound = cfg.smoke().rows().isEmpty() ? 1 : 2;
        Probes p = new Probes(cfg.modelVersion());
        Optional<String> unsettled = settle(base, cfg, rounds * perRound, p, s);
        if (unsettled.isPresent()) {
            return unsettled;
        }
        log.info("verify: " + rounds + " round(s) of probes through " + base + " over "
                + cfg.verifyWindow().toSeconds() + " s");
        for (long i = 0; i < rounds; i++) {
            s.checkAbort();
            p.count(client.get(base, "/health"));
            if (!cfg.smoke().rows().isEmpty()) {
                p.count(client.predict(base, cfg.smoke().rows()));
            }
            log.progress("verify", i + 1, rounds, p.failed + " failed");
            if (i + 1 < rounds) {
                s.tick();
                sleeper.sleep(cfg.verifyInterval());
            }
        }
        Optional<String> tooMany = p.overLimit(cfg.maxErrorRate());
        if (tooMany.isPresent()) {
            return tooMany;
        }
        log.info("verify passed: " + (p.total - p.failed) + " of " + p.total + " probes ok, model_version "
                + cfg.modelVersion() + " serving" + (p.stale == 0 ? "" : "; " + p.stale
                + " answer(s) still from the color left (stale endpoints, not errors)"));
        return Optional.empty();
    }

    /**
     * Waits until {@code base} answers {@code /health} with the new version {@link #SETTLED_IN_A_ROW} times in a row,
     * at most {@link DeployDefaults#SETTLE_TIMEOUT}. After a selector change kube-proxy keeps sending some requests to
     * the pods selected before for a while; judging one probe then would refuse a healthy release. Stops early when
     * failed probes already exceed what the error rate allows over the whole verification.
     */
    private Optional<String> settle(URI base, DeployConfig cfg, long windowProbes, Probes p, LockSession s) {
        Instant start = clock.instant();
        Instant deadline = start.plus(DeployDefaults.SETTLE_TIMEOUT);
        while (true) {
            int inARow = 0;
            while (inARow < SETTLED_IN_A_ROW) {
                s.checkAbort();
                ServerClient.Reply r = client.get(base, "/health");
                p.count(r);
                if (!r.ok() || !cfg.modelVersion().equals(r.modelVersion())) {
                    break;
                }
                inARow++;
            }
            if (inARow == SETTLED_IN_A_ROW) {
                if (p.stale > 0 || p.failed > 0) {
                    log.info(String.format(Locale.ROOT, "verify: %s serves model_version %s on %d probes in a row"
                            + " after %.1f s (%d stale answer(s) from the color left, %d failed)", base,
                            cfg.modelVersion(), SETTLED_IN_A_ROW, Duration.between(start, clock.instant()).toMillis()
                            / 1000.0, p.stale, p.failed));
                }
                return Optional.empty();
            }
            if (p.failed > cfg.maxErrorRate() * (p.total + windowProbes)) {
                return p.overLimit(cfg.maxErrorRate());
            }
            if (!clock.instant().isBefore(deadline)) {
                return Optional.of("verify: the public endpoint did not serve model_version " + cfg.modelVersion()
                        + " on " + SETTLED_IN_A_ROW + " probes in a row within "
                        + DeployDefaults.SETTLE_TIMEOUT.toSeconds() + " s (" + p.stale + " answer(s) from "
                        + (p.lastStale == null ? "another version" : "model_version " + p.lastStale) + ", "
                        + p.failed + " failed)");
            }
            log.progress("verify: endpoint settling", Duration.between(start, clock.instant()).toSeconds(),
                    DeployDefaults.SETTLE_TIMEOUT.toSeconds(), p.stale + " stale, " + p.failed + " failed");
            s.tick();
            sleeper.sleep(SETTLE_PAUSE);
        }
    }

    /** What the probes of one verification saw: failures, and healthy answers from another version (stale). */
    private static final class Probes {
        private final String version;
        int total;
        int failed;
        int stale;
        String first;
        String lastStale;

        Probes(String version) {
            this.version = version;
        }

        /** An answer that names another version comes from the color left, even an error: not this release's. */
        void count(ServerClient.Reply r) {
            total++;
            if (r.modelVersion() != null && !version.equals(r.modelVersion())) {
                stale++;
                lastStale = r.modelVersion();
            } else if (!r.ok()) {
                failed++;
                if (first == null) {
                    first = r.describe();
                }
            }
        }

        Optional<String> overLimit(double maxErrorRate) {
            double rate = (double) failed / total;
            if (rate <= maxErrorRate) {
                return Optional.empty();
            }
            return Optional.of(String.format(Locale.ROOT, "verify: %d of %d probes failed (%.0f%%, limit %.0f%%);"
                    + " first: %s", failed, total, 100 * rate, 100 * maxErrorRate, first));
        }
    }

    /**
     * Brings {@code color} to {@code replicas} ready before traffic moves onto it (Argo's blue-green waits the same
     * way). Empty when it serves at full capacity, else why not.
     */
    Optional<String> bringToCapacity(Color color, int replicas, Duration timeout, LockSession s) {
        SlotState sl = target.slot(color).orElseThrow(() -> new InfraException(color.id() + " is not deployed"));
        if (sl.desiredReplicas() < replicas) {
            log.info("capacity: " + color.id() + " " + sl.desiredReplicas() + " -> " + replicas
                    + " replica(s) before the flip");
            target.scale(color, replicas);
        } else if (target.readiness(color, replicas).state() == Readiness.State.READY) {
            log.info("capacity: " + color.id() + " already at " + replicas + " ready replica(s): an instant flip");
            return Optional.empty();
        }
        return awaitReady(color, replicas, timeout, s);
    }

    /**
     * After a failed verification or an abort: traffic back to {@code stable}, retried with back-off. Returns the
     * exception to throw: a DeployFailedException (exit 1) when traffic is back on the stable color (or there was
     * none), an InfraException (exit 3) naming who holds traffic when switching back kept failing.
     */
    MlopsException revert(Release rel, Optional<Color> stable, String stableRelease, String reason, Outcome outcome,
                          int history) {
        return Interrupts.uninterruptibly(() -> {
            Color failing = rel.color();
            if (stable.isEmpty()) {
                log.warn(reason + "; no previous version to return to on this first deploy");
                scaleQuietly(failing, 0);
                Release failed = record(rel.withOutcome(outcome, reason, now()), history);
                return new DeployFailedException(reason + "; " + failing.id() + " scaled to zero", failed);
            }
            Color back = stable.get();
            log.warn(reason + "; switching straight back to " + back.id());
            Optional<RuntimeException> err = switchBack(back, stableRelease);
            if (err.isPresent()) {
                String where;
                try {
                    where = target.activeColor().map(Color::id).orElse("no color");
                } catch (RuntimeException e) {
                    where = failing.id() + " (probably: the target could not be read: " + e.getMessage() + ")";
                }
                String msg = reason + "; switching back to " + back.id() + " failed " + SWITCH_BACK_ATTEMPTS
                        + " times (last: " + err.get().getMessage() + "): traffic is on " + where + " (release "
                        + rel.id() + ", model " + rel.modelName() + " v" + rel.modelVersion() + ", not verified); "
                        + back.id() + " still runs release " + stableRelease + " at full size. Move traffic back with"
                        + " `mlops rollback` for this app and environment (a warm flip to " + back.id() + "), and check"
                        + " with `mlops status`";
                log.warn(msg);
                Release stranded = record(rel.withOutcome(Outcome.SWITCH_BACK_FAILED, msg, now()), history);
                return new InfraException(msg + " (ledger entry " + stranded.id() + " is SWITCH_BACK_FAILED)");
            }
            log.info("switch: traffic back on " + back.id());
            scaleQuietly(failing, 0);
            Release failed = record(rel.withOutcome(outcome, reason, now()), history);
            return new DeployFailedException(reason + "; traffic is back on " + back.id(), failed);
        });
    }

    /** {@link Target#switchTo} with up to {@link #SWITCH_BACK_ATTEMPTS} tries; empty once traffic is on {@code c}. */
    Optional<RuntimeException> switchBack(Color c, String releaseId) {
        RuntimeException last = null;
        Duration wait = SWITCH_BACK_BACKOFF;
        for (int attempt = 1; attempt <= SWITCH_BACK_ATTEMPTS; attempt++) {
            try {
                target.switchTo(c, releaseId);
                return Optional.empty();
            } catch (RuntimeException e) {
                last = e;
                log.warn("switch back to " + c.id() + ": attempt " + attempt + " of " + SWITCH_BACK_ATTEMPTS
                        + " failed: " + e.getMessage());
            }
            try {
                if (target.activeColor().equals(Optional.of(c))) {
                    log.info("switch back to " + c.id() + ": the public endpoint selects it (an answer was lost)");
                    return Optional.empty();
                }
            } catch (RuntimeException ignored) {
                // the target cannot be read either; the next attempt tells
            }
            if (attempt < SWITCH_BACK_ATTEMPTS) {
                sleeper.sleep(wait);
                wait = wait.multipliedBy(2);
            }
        }
        return Optional.of(last);
    }

    /** Any failure before the switch: the idle color goes to {@code scaleTo}, the active color and endpoint stay. */
    DeployFailedException failBeforeSwitch(Release rel, Color idle, int scaleTo, String reason, Outcome outcome,
                                           int history) {
        return Interrupts.uninterruptibly(() -> {
            log.warn(reason);
            scaleQuietly(idle, scaleTo);
            log.info("cleanup: " + idle.id() + " scaled to " + (scaleTo == 0 ? "zero" : scaleTo + " replica(s)")
                    + "; active color and public endpoint untouched");
            Release failed = rel.withOutcome(outcome, reason, now());
            try {
                failed = record(failed, history);
            } catch (RuntimeException e) {
                log.warn("could not record the failed release in " + target.ledger().describe() + ": " + e.getMessage());
            }
            return new DeployFailedException(reason, failed);
        });
    }

    void scaleQuietly(Color c, int replicas) {
        try {
            target.scale(c, replicas);
        } catch (RuntimeException e) {
            log.warn("could not scale " + c.id() + " to " + replicas + ": " + e.getMessage());
        }
    }

    /** The color traffic just left keeps its size for the delay, then goes down to the warm size. */
    void scaleDownLater(Color left, DeployConfig cfg) {
        int now = target.slot(left).map(SlotState::desiredReplicas).orElse(0);
        if (now <= cfg.warmReplicas()) {
            log.info("keep warm: " + left.id() + " at " + now + " replica(s) for a fast rollback");
            return;
        }
        if (cfg.scaleDownDelay().isZero()) {
            target.scale(left, cfg.warmReplicas());
            log.info("keep warm: " + left.id() + " at " + cfg.warmReplicas() + " replica(s) for a fast rollback");
            return;
        }
        Instant at = clock.instant().plus(cfg.scaleDownDelay()).truncatedTo(ChronoUnit.SECONDS);
        target.scheduleScaleDown(left, cfg.warmReplicas(), at);
        log.info("keep warm: " + left.id() + " stays at " + now + " replica(s) until " + at + " (scale-down delay "
                + cfg.scaleDownDelay().toSeconds() + " s: a rollback until then is an instant flip at full capacity), then "
                + cfg.warmReplicas() + "; the next deploy, rollback, abort or status applies it");
    }

    /** Applies every scale-down whose deadline has passed; a schedule left on the serving color is dropped. */
    void applyDueScaleDowns(Optional<Color> active) {
        for (Color c : Color.values()) {
            Optional<SlotState> sl = target.slot(c);
            if (sl.isEmpty() || sl.get().scaleDownAt() == null) {
                continue;
            }
            SlotState s = sl.get();
            if (active.equals(Optional.of(c))) {
                log.info("scale-down of " + c.id() + " cancelled: it serves traffic");
                target.scale(c, s.desiredReplicas());
            } else if (!clock.instant().isBefore(s.scaleDownAt())) {
                int to = s.scaleDownTo() == null ? 0 : s.scaleDownTo();
                log.info("scale-down delay over: " + c.id() + " " + s.desiredReplicas() + " -> " + to + " (deadline "
                        + s.scaleDownAt() + ")");
                target.scale(c, to);
            }
        }
    }

    /** Writes {@code r} into the ledger (read fresh), keeping the retention rules; returns {@code r}. */
    Release record(Release r, int history) {
        write(Ledger.put(target.ledger().read(), r), history);
        return r;
    }

    /**
     * Writes the whole ledger, trimmed by {@link Ledger#retain} with the releases the two colors run pinned. When the
     * colors cannot be read, nothing is trimmed: a longer ledger costs a few lines, a lost entry a rollback target.
     */
    void write(List<Release> releases, int history) {
        Set<String> running = new HashSet<>();
        boolean known = true;
        for (Color c : Color.values()) {
            try {
                target.slot(c).map(SlotState::releaseId).ifPresent(running::add);
            } catch (RuntimeException e) {
                known = false;
            }
        }
        target.ledger().write(known ? Ledger.retain(releases, history, running) : releases);
    }

    String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
