package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.MlopsException;
import dev.mlops.engine.tracking.Tracker;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Blue-green deploys and rollbacks over any {@link Target}: lock, find the active color, prepare the idle color, wait
 * for it, smoke-test it through the preview, switch in one write, verify through the public endpoint (switching
 * straight back on failure), keep the old color warm, move the registry alias and record the release. Any failure
 * before the switch scales the idle color to zero and leaves the active color untouched.
 */
public final class BlueGreen {
    static final Duration POLL = Duration.ofSeconds(1);

    private final Target target;
    private final Tracker tracker;
    private final ServerClient client;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;

    /** {@code tracker} may be null when no registry alias is moved. */
    public BlueGreen(Target target, Tracker tracker, ServerClient client, Log log, Clock clock, Sleeper sleeper) {
        this.target = Objects.requireNonNull(target);
        this.tracker = tracker;
        this.client = Objects.requireNonNull(client);
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
        this.sleeper = Objects.requireNonNull(sleeper);
    }

    /** Deploys {@code cfg}; returns the SUCCEEDED release or throws (DeployFailedException: traffic kept healthy). */
    public Release deploy(DeployConfig cfg) {
        return guarded(() -> doDeploy(cfg));
    }

    private Release doDeploy(DeployConfig cfg) {
        Session s = lock(cfg.who(), cfg.buildUrl(), cfg.lockTtl(), cfg.app());
        try {
            Optional<Color> active = target.activeColor();
            List<Release> ledger = cleanUpInterrupted(target.ledger().read(), active, cfg.historySize());
            return blueGreen(cfg, ledger, active, "deploy", null, s);
        } finally {
            unlock(s);
        }
    }

    /** Rolls back per {@code req}; a selector flip when the release is still warm, else a blue-green redeploy. */
    public Release rollback(RollbackConfig req) {
        return guarded(() -> doRollback(req));
    }

    private Release doRollback(RollbackConfig req) {
        int history = req.historySize();
        Session s = lock(req.who() == null ? "unknown" : req.who(), req.buildUrl(),
                req.lockTtl(), req.app());
        try {
            Optional<Color> active = target.activeColor();
            if (active.isEmpty()) {
                throw new InputException("rollback: nothing is deployed for app " + req.app() + " on "
                        + target.describe());
            }
            List<Release> ledger = cleanUpInterrupted(target.ledger().read(), active, history);
            Optional<SlotState> serving = target.slot(active.get());
            Release current = serving.flatMap(sl -> find(ledger, sl.releaseId())).orElse(null);
            Color warm = active.get().other();
            Optional<SlotState> warmSlot = target.slot(warm);
            Release wanted = resolve(ledger, req.to(), serving.orElse(null), warmSlot.orElse(null));
            // Without an explicit alias, move back the alias the serving release moved.
            String alias = req.alias() != null ? req.alias() : current != null ? current.alias() : wanted.alias();
            DeployConfig cfg = req.configFor(wanted, alias);
            log.info("rollback: " + req.app() + " to release " + wanted.id() + " (model " + wanted.modelName() + " v"
                    + wanted.modelVersion() + ", image " + wanted.image() + ")");
            boolean isWarm = warmSlot.isPresent() && warmSlot.get().desiredReplicas() > 0
                    && sameVersion(warmSlot.get(), wanted)
                    && warmSlot.get().readyReplicas() >= 1; // scale-down status may lag; one ready pod is enough to flip
            Release done;
            if (isWarm) {
                done = flip(cfg, ledger, active.get(), warm, wanted, current, s);
            } else {
                log.info("rollback: release " + wanted.id() + " is not running warm on " + warm.id()
                        + "; redeploying it blue-green");
                done = blueGreen(cfg, ledger, active, "rollback", current, s);
            }
            return done;
        } finally {
            unlock(s);
        }
    }

    /** Active color, what each color runs, the ledger and the lock. Takes no lock and writes nothing. */
    public DeployStatus status(String app) {
        return guarded(() -> doStatus(app));
    }

    /** Client-library failures (API server down, forbidden) become one InfraException naming the target. */
    private <T> T guarded(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (MlopsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InfraException(target.describe() + ": " + e.getMessage(), e);
        }
    }

    private DeployStatus doStatus(String app) {
        List<SlotState> slots = new ArrayList<>();
        for (Color c : Color.values()) {
            target.slot(c).ifPresent(slots::add);
        }
        return new DeployStatus(app, target.describe(), target.activeColor().orElse(null), slots,
                target.ledger().read(), target.lock().current().orElse(null));
    }

    // ---------------------------------------------------------------------------------------------------------

    /** {@code replaced}: on success, marked ROLLED_BACK in the same ledger write (rollbacks only; else null). */
    private Release blueGreen(DeployConfig cfg, List<Release> ledger, Optional<Color> active, String kind,
                              Release replaced, Session s) {
        Color idle = active.map(Color::other).orElse(Color.BLUE);
        Optional<SlotState> serving = active.flatMap(target::slot);
        if (active.isPresent()) {
            log.info("active color: " + active.get().id() + serving.map(sl -> " (release " + sl.releaseId() + ", model "
                    + sl.modelName() + " v" + sl.modelVersion() + ")").orElse("") + "; deploying to " + idle.id());
        } else {
            log.info("no active color: first deploy of " + cfg.app() + ", deploying to " + idle.id());
        }
        Release rel = new Release(newId(), kind, cfg.app(), idle, cfg.image(), cfg.modelName(), cfg.modelVersion(),
                cfg.modelRef(), cfg.gitSha(), cfg.who(), cfg.buildUrl(), now(), null, Outcome.IN_PROGRESS, null,
                serving.map(SlotState::releaseId).orElse(null), cfg.alias());
        ledger = Ledger.upsert(ledger, rel, cfg.historySize());
        target.ledger().write(ledger);

        // Before the switch: any failure scales the idle color down and leaves the active color alone.
        try {
            log.info("apply: " + idle.id() + " with image " + cfg.image() + ", model " + cfg.modelName() + " v"
                    + cfg.modelVersion() + ", " + cfg.replicas() + " replica(s); preview -> " + idle.id());
            target.prepare(idle, cfg, rel);
            Optional<String> problem = awaitReady(idle, cfg.replicas(), cfg.readyTimeout(), s);
            if (problem.isEmpty()) {
                log.info("smoke test: " + idle.id() + " through " + target.previewEndpoint());
                problem = new SmokeTest(client, log, clock, sleeper)
                        .run(target.previewEndpoint(), cfg.smoke(), cfg.modelVersion(), s::tick);
            }
            if (problem.isPresent()) {
                throw failBeforeSwitch(rel, idle, problem.get(), cfg.historySize());
            }
        } catch (DeployFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            failBeforeSwitch(rel, idle, "infrastructure error before the switch: " + e.getMessage(), cfg.historySize());
            throw e instanceof MlopsException ? e : new InfraException(idle.id() + " not deployed: " + e.getMessage(), e);
        }

        // The switch: one write. Traffic is on the new color from here on.
        log.info("switch: traffic " + active.map(Color::id).orElse("(none)") + " -> " + idle.id());
        try {
            target.switchTo(idle, rel.id());
        } catch (RuntimeException e) {
            // The answer may be lost although the write landed: decide from what the public endpoint selects now.
            Optional<Color> now;
            try {
                now = target.activeColor();
            } catch (RuntimeException again) {
                now = Optional.empty();
            }
            if (now.isEmpty() || now.get() != idle) {
                failBeforeSwitch(rel, idle, "switch failed, traffic stays on " + active.map(Color::id).orElse("nothing")
                        + ": " + e.getMessage(), cfg.historySize());
                throw e instanceof MlopsException ? e : new InfraException("switch failed: " + e.getMessage(), e);
            }
            log.warn("switch reported an error but the public endpoint selects " + idle.id() + "; verifying it");
        }
        log.info("switch: traffic on " + idle.id() + " (release " + rel.id() + ")");

        Optional<String> bad = verify(target.activeEndpoint(), cfg, s);
        if (bad.isPresent()) {
            String reason = bad.get();
            if (active.isPresent()) {
                log.warn("verify failed: " + reason + "; switching straight back to " + active.get().id());
                target.switchTo(active.get(), serving.map(SlotState::releaseId).orElse(null));
                log.info("switch: traffic back on " + active.get().id());
            } else {
                log.warn("verify failed: " + reason + "; no previous version to return to on this first deploy");
            }
            scaleQuietly(idle, 0);
            Release failed = rel.withOutcome(Outcome.FAILED, reason, now());
            target.ledger().write(Ledger.upsert(target.ledger().read(), failed, cfg.historySize()));
            throw new DeployFailedException(reason + (active.isPresent() ? "; traffic is back on " + active.get().id()
                    : "; " + idle.id() + " scaled to zero"), failed);
        }

        active.ifPresent(old -> {
            target.scale(old, cfg.warmReplicas());
            log.info("keep warm: " + old.id() + " at " + cfg.warmReplicas() + " replica(s) for a fast rollback");
        });
        String note = moveAlias(cfg);
        Release ok = rel.withOutcome(Outcome.SUCCEEDED, note, now());
        target.ledger().write(Ledger.upsert(rolledBack(target.ledger().read(), replaced, ok, cfg.historySize()), ok,
                cfg.historySize()));
        log.info("ledger: recorded release " + ok.id() + " (" + kind + ", " + idle.id() + ", SUCCEEDED) in "
                + target.ledger().describe());
        return ok;
    }

    /** {@code ledger} with {@code replaced} (if it is there and SUCCEEDED) marked ROLLED_BACK by {@code by}. */
    private static List<Release> rolledBack(List<Release> ledger, Release replaced, Release by, int history) {
        if (replaced == null) {
            return ledger;
        }
        Optional<Release> cur = find(ledger, replaced.id());
        if (cur.isEmpty() || cur.get().outcome() != Outcome.SUCCEEDED) {
            return ledger;
        }
        return Ledger.upsert(ledger, cur.get().withOutcome(Outcome.ROLLED_BACK, "rolled back by " + by.id(),
                cur.get().finishedAt()), history);
    }

    private Release flip(DeployConfig cfg, List<Release> ledger, Color active, Color warm, Release wanted,
                         Release current, Session s) {
        Release rel = new Release(newId(), "rollback", cfg.app(), warm, wanted.image(), wanted.modelName(),
                wanted.modelVersion(), wanted.modelRef(), wanted.gitSha(), cfg.who(), cfg.buildUrl(), now(), null,
                Outcome.IN_PROGRESS, "flip to warm release " + wanted.id(), current == null ? null : current.id(),
                cfg.alias());
        log.info("switch: traffic " + active.id() + " -> " + warm.id() + " (warm, release " + wanted.id() + ")");
        target.switchTo(warm, wanted.id());
        log.info("switch: traffic on " + warm.id());
        Optional<String> bad = verify(target.activeEndpoint(), cfg, s);
        if (bad.isPresent()) {
            log.warn("verify failed: " + bad.get() + "; switching straight back to " + active.id());
            target.switchTo(active, current == null ? null : current.id());
            Release failed = rel.withOutcome(Outcome.FAILED, bad.get(), now());
            target.ledger().write(Ledger.upsert(ledger, failed, cfg.historySize()));
            throw new DeployFailedException(bad.get() + "; traffic is back on " + active.id(), failed);
        }
        // Restore full capacity on the restored color; the color we left stays warm for a roll-forward.
        target.scale(warm, cfg.replicas());
        target.scale(active, cfg.warmReplicas());
        log.info("scale: " + warm.id() + " to " + cfg.replicas() + ", " + active.id() + " kept warm at "
                + cfg.warmReplicas());
        String note = moveAlias(cfg);
        Release ok = rel.withOutcome(Outcome.SUCCEEDED, note == null ? rel.reason() : rel.reason() + "; " + note, now());
        target.ledger().write(Ledger.upsert(rolledBack(ledger, current, ok, cfg.historySize()), ok, cfg.historySize()));
        log.info("ledger: recorded release " + ok.id() + " (rollback, " + warm.id() + ", SUCCEEDED)");
        return ok;
    }

    private Optional<String> awaitReady(Color color, int replicas, Duration timeout, Session s) {
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

    /** Health (and predictions, when sample rows are given) through {@code base} for the verify window. */
    private Optional<String> verify(URI base, DeployConfig cfg, Session s) {
        long rounds = Math.max(1, cfg.verifyWindow().toMillis() / cfg.verifyInterval().toMillis());
        log.info("verify: " + rounds + " round(s) of probes through " + base + " over "
                + cfg.verifyWindow().toSeconds() + " s");
        int total = 0;
        int failed = 0;
        boolean sawNew = false;
        String first = null;
        for (long i = 0; i < rounds; i++) {
            List<ServerClient.Reply> replies = new ArrayList<>();
            replies.add(client.get(base, "/health"));
            if (!cfg.smoke().rows().isEmpty()) {
                replies.add(client.predict(base, cfg.smoke().rows()));
            }
            for (ServerClient.Reply r : replies) {
                total++;
                if (!r.ok()) {
                    failed++;
                    if (first == null) {
                        first = r.describe();
                    }
                } else if (cfg.modelVersion().equals(r.modelVersion())) {
                    sawNew = true;
                }
            }
            log.progress("verify", i + 1, rounds, failed + " failed");
            if (i + 1 < rounds) {
                s.tick();
                sleeper.sleep(cfg.verifyInterval());
            }
        }
        double rate = (double) failed / total;
        if (rate > cfg.maxErrorRate()) {
            return Optional.of(String.format(Locale.ROOT, "verify: %d of %d probes failed (%.0f%%, limit %.0f%%); first: %s",
                    failed, total, 100 * rate, 100 * cfg.maxErrorRate(), first));
        }
        if (!sawNew) {
            return Optional.of("verify: the public endpoint never served model_version " + cfg.modelVersion());
        }
        log.info("verify passed: " + (total - failed) + " of " + total + " probes ok, model_version "
                + cfg.modelVersion() + " serving");
        return Optional.empty();
    }

    private DeployFailedException failBeforeSwitch(Release rel, Color idle, String reason, int history) {
        log.warn(reason);
        scaleQuietly(idle, 0);
        log.info("cleanup: " + idle.id() + " scaled to zero; active color and public endpoint untouched");
        Release failed = rel.withOutcome(Outcome.FAILED, reason, now());
        try {
            target.ledger().write(Ledger.upsert(target.ledger().read(), failed, history));
        } catch (RuntimeException e) {
            log.warn("could not record the failed release in " + target.ledger().describe() + ": " + e.getMessage());
        }
        return new DeployFailedException(reason, failed);
    }

    private void scaleQuietly(Color c, int replicas) {
        try {
            target.scale(c, replicas);
        } catch (RuntimeException e) {
            log.warn("could not scale " + c.id() + " to " + replicas + ": " + e.getMessage());
        }
    }

    /** Moves the alias after traffic is verified; a registry hiccup is reported, never undoes a healthy switch. */
    private String moveAlias(DeployConfig cfg) {
        if (tracker == null || cfg.alias() == null || cfg.alias().isBlank()) {
            return null;
        }
        try {
            tracker.setAlias(cfg.modelName(), cfg.alias(), cfg.modelVersion());
            log.info("registry: alias " + cfg.alias() + " of " + cfg.modelName() + " -> v" + cfg.modelVersion());
            return null;
        } catch (RuntimeException e) {
            String msg = "alias " + cfg.alias() + " not moved to v" + cfg.modelVersion() + ": " + e.getMessage();
            log.warn(msg);
            return msg;
        }
    }

    /** Marks releases left IN_PROGRESS by a run that died, and scales their color down if it is not serving. */
    private List<Release> cleanUpInterrupted(List<Release> ledger, Optional<Color> active, int history) {
        List<Release> out = ledger;
        for (Release r : ledger) {
            if (r.outcome() != Outcome.IN_PROGRESS) {
                continue;
            }
            boolean serving = active.isPresent() && active.get() == r.color()
                    && target.slot(r.color()).map(sl -> r.id().equals(sl.releaseId())).orElse(false);
            String why;
            if (serving) {
                why = "the run died after the switch; this release kept serving unverified until replaced";
            } else {
                scaleQuietly(r.color(), 0);
                why = "the run died before the switch; " + r.color().id() + " scaled to zero";
            }
            log.warn("found unfinished release " + r.id() + " on " + r.color().id() + " by " + r.who() + ": " + why);
            out = Ledger.upsert(out, r.withOutcome(Outcome.INTERRUPTED, why, now()), history);
        }
        if (out != ledger) {
            target.ledger().write(out);
        }
        return out;
    }

    private Release resolve(List<Release> ledger, String to, SlotState serving, SlotState warm) {
        List<Release> served = ledger.stream().filter(r -> r.outcome() == Outcome.SUCCEEDED
                || r.outcome() == Outcome.ROLLED_BACK).toList();
        if (to.equals("previous") && warm != null && warm.desiredReplicas() > 0 && warm.releaseId() != null
                && (serving == null || !Objects.equals(serving.modelVersion(), warm.modelVersion())
                    || !Objects.equals(serving.image(), warm.image()))
                && served.stream().noneMatch(r -> serving == null || !sameVersion(serving, r))) {
            // The ledger lost its history (missing or corrupt) but the warm color still says what it runs.
            log.warn("rollback: the ledger has no earlier release; using what the warm color runs (release "
                    + warm.releaseId() + ", model v" + warm.modelVersion() + ")");
            return new Release(warm.releaseId(), "deploy", null, warm.color(), warm.image(), warm.modelName(),
                    warm.modelVersion(), null, null, null, null, null, null, Outcome.SUCCEEDED, null, null, null);
        }
        if (served.isEmpty()) {
            throw new InputException("rollback: the ledger has no release that served successfully");
        }
        Optional<Release> hit;
        if (to.equals("previous")) {
            hit = served.stream().filter(r -> serving == null || !sameVersion(serving, r)).findFirst();
        } else {
            hit = find(served, to);
            if (hit.isEmpty()) {
                String v = to.startsWith("v") ? to.substring(1) : to;
                hit = served.stream().filter(r -> r.modelVersion().equals(v)).findFirst();
            }
        }
        return hit.orElseThrow(() -> new InputException("rollback: no release matches '" + to
                + "'; releases that served: " + served.stream().map(r -> r.id() + " (v" + r.modelVersion() + ")").toList()));
    }

    private static boolean sameVersion(SlotState s, Release r) {
        return Objects.equals(s.modelVersion(), r.modelVersion()) && Objects.equals(s.image(), r.image())
                && Objects.equals(s.modelName(), r.modelName());
    }

    private static Optional<Release> find(List<Release> ledger, String id) {
        return ledger.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private String now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    private String newId() {
        // Time-ordered and short: yyyymmdd-hhmmss plus 4 hex digits so two runs in one second differ.
        String t = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString().replace("-", "").replace(":", "")
                .replace("T", "-").replace("Z", "");
        return "r" + t + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private Session lock(String who, String buildUrl, Duration ttl, String app) {
        LockInfo held = target.lock().acquire(who, buildUrl, ttl);
        log.info("lock: " + app + " locked by " + who + " until " + held.expiresAt() + " (" + target.describe() + ")");
        return new Session(held, ttl);
    }

    private void unlock(Session s) {
        try {
            target.lock().release(s.held);
            log.info("lock: released");
        } catch (RuntimeException e) {
            log.warn("could not release the deploy lock (it expires at " + s.held.expiresAt() + "): " + e.getMessage());
        }
    }

    /** The held lock, renewed while a run waits so a dead run's lock expires within one TTL. */
    private final class Session {
        private LockInfo held;
        private final Duration ttl;

        Session(LockInfo held, Duration ttl) {
            this.held = held;
            this.ttl = ttl;
        }

        void tick() {
            Instant renewAt = held.expiresAt().minus(ttl.dividedBy(2));
            if (!clock.instant().isBefore(renewAt)) {
                held = target.lock().renew(held, ttl);
            }
        }
    }
}
