package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.MlopsException;
import dev.mlops.engine.tracking.Tracker;

import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Blue-green deploys and rollbacks over any {@link Target}: check the model, lock, repair the public endpoint, apply
 * due scale-downs, find the active color, prepare the idle color, wait for it, smoke-test it through the preview,
 * switch in one write, verify through the public endpoint, keep the old color at full size for the scale-down delay,
 * move the registry alias and record the release. Any failure before the switch scales the idle color to zero and
 * leaves the active color untouched; any failure after it (an interrupt or an abort included) switches back.
 */
public final class BlueGreen {
    static final Duration POLL = Steps.POLL;
    static final int SWITCH_BACK_ATTEMPTS = Steps.SWITCH_BACK_ATTEMPTS;

    private final Target target;
    private final Tracker tracker;
    private final ServerClient client;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Steps steps;

    /** {@code tracker} may be null when no registry alias is moved and no model version is checked. */
    public BlueGreen(Target target, Tracker tracker, ServerClient client, Log log, Clock clock, Sleeper sleeper) {
        this.target = Objects.requireNonNull(target);
        this.tracker = tracker;
        this.client = Objects.requireNonNull(client);
        this.log = Objects.requireNonNull(log);
        this.clock = Objects.requireNonNull(clock);
        this.sleeper = Objects.requireNonNull(sleeper);
        this.steps = new Steps(target, client, log, clock, sleeper);
    }

    /** Deploys {@code cfg}; returns the SUCCEEDED release or throws (DeployFailedException: traffic kept healthy). */
    public Release deploy(DeployConfig cfg) {
        return guarded(() -> {
            ModelCheck.check(cfg, tracker, target);
            try (LockSession s = lock(cfg.who(), cfg.buildUrl(), cfg.lockTtl(), cfg.app())) {
                Optional<Color> active = settle();
                List<Release> ledger = cleanUpInterrupted(target.ledger().read(), active, cfg.historySize());
                return blueGreen(cfg, ledger, active, "deploy", null, s);
            }
        });
    }

    /** Rolls back per {@code req}; a selector flip when the release is still warm, else a blue-green redeploy. */
    public Release rollback(RollbackConfig req) {
        return guarded(() -> doRollback(req));
    }

    private Release doRollback(RollbackConfig req) {
        int history = req.historySize();
        try (LockSession s = lock(req.who() == null ? "unknown" : req.who(), req.buildUrl(),
                req.lockTtl(), req.app())) {
            Optional<Color> active = settle();
            if (active.isEmpty()) {
                throw new InputException("rollback: nothing is deployed for app " + req.app() + " on "
                        + target.describe());
            }
            List<Release> ledger = cleanUpInterrupted(target.ledger().read(), active, history);
            Optional<SlotState> serving = target.slot(active.get());
            Release current = serving.flatMap(sl -> History.find(ledger, sl.releaseId())).orElse(null);
            Color warm = active.get().other();
            Optional<SlotState> warmSlot = target.slot(warm);
            Release wanted = History.resolve(ledger, req.to(), serving.orElse(null), warmSlot.orElse(null), log);
            // Without an explicit alias, move back the alias the serving release moved.
            String alias = req.alias() != null ? req.alias() : current != null ? current.alias() : wanted.alias();
            DeployConfig cfg = req.configFor(wanted, alias);
            log.info("rollback: " + req.app() + " to release " + wanted.id() + " (model " + wanted.modelName() + " v"
                    + wanted.modelVersion() + ", image " + wanted.image() + ")");
            boolean isWarm = warmSlot.isPresent() && warmSlot.get().desiredReplicas() > 0
                    && History.sameVersion(warmSlot.get(), wanted) && warmSlot.get().readyReplicas() >= 1;
            if (isWarm) {
                return flip(cfg, active.get(), warm, wanted, current, s);
            }
            log.info("rollback: release " + wanted.id() + " is not running warm on " + warm.id()
                    + "; redeploying it blue-green");
            return blueGreen(cfg, ledger, active, "rollback", current, s);
        }
    }

    /**
     * Active color, what each color runs, the ledger, the lock, and a probe of the public endpoint. Writes only to
     * apply scale-downs whose delay is over, and only when no deploy holds the lock.
     */
    public DeployStatus status(String app) {
        return guarded(() -> {
            applyDueScaleDownsIfFree(app);
            List<SlotState> slots = new ArrayList<>();
            for (Color c : Color.values()) {
                target.slot(c).ifPresent(slots::add);
            }
            Color active = target.activeColor().orElse(null);
            String url = target.activeEndpoint().toString();
            DeployStatus.Endpoint endpoint;
            if (active == null) {
                endpoint = new DeployStatus.Endpoint(url, -1, null, "nothing deployed");
            } else {
                ServerClient.Reply r = client.get(target.activeEndpoint(), "/version");
                endpoint = new DeployStatus.Endpoint(url, r.status(), r.modelVersion(), r.ok() ? null : r.describe());
            }
            return new DeployStatus(app, target.describe(), active, slots, target.ledger().read(),
                    target.lock().current().orElse(null), endpoint);
        });
    }

    /**
     * Asks the deploy in progress to stop (it switches back and records ABORTED), without waiting. Empty when no
     * deploy holds the lock.
     */
    public Optional<LockInfo> requestAbort(String app, String who) {
        return guarded(() -> new Aborts(target, steps, log, clock, sleeper).request(app, who));
    }

    /**
     * Aborts the deploy of {@code app} in progress, like Argo Rollouts' abort: traffic stays on, or goes back to,
     * the stable color and the release is recorded ABORTED. A live run is asked through the lock and awaited up to
     * {@code wait}; a run that died is cleaned up here. InputException when nothing is in progress.
     */
    public Release abort(String app, String who, Duration wait) {
        return guarded(() -> new Aborts(target, steps, log, clock, sleeper).abort(app, who, wait));
    }

    /** Client-library failures (API server down, forbidden) become one InfraException naming the target. */
    private <T> T guarded(Supplier<T> body) {
        try {
            return body.get();
        } catch (MlopsException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InfraException(target.describe() + ": " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** What every writing command does after taking the lock: endpoint up again, overdue scale-downs applied. */
    private Optional<Color> settle() {
        target.repairEndpoint().ifPresent(note -> log.warn(note));
        Optional<Color> active = target.activeColor();
        steps.applyDueScaleDowns(active);
        return active;
    }

    private void applyDueScaleDownsIfFree(String app) {
        boolean due = false;
        for (Color c : Color.values()) {
            due |= target.slot(c).map(sl -> sl.scaleDownAt() != null && !clock.instant().isBefore(sl.scaleDownAt()))
                    .orElse(false);
        }
        if (!due) {
            return;
        }
        LockSession s;
        try {
            s = lock("mlops status", null, Duration.ofSeconds(30), app);
        } catch (InfraException e) {
            log.info("scale-down due but the lock is held; the holder applies it: " + e.getMessage());
            return;
        }
        try (s) {
            steps.applyDueScaleDowns(target.activeColor());
        }
    }

    /** {@code replaced}: on success, marked ROLLED_BACK in the same ledger write (rollbacks only; else null). */
    private Release blueGreen(DeployConfig cfg, List<Release> ledger, Optional<Color> active, String kind,
                              Release replaced, LockSession s) {
        Color idle = active.map(Color::other).orElse(Color.BLUE);
        Optional<SlotState> serving = active.flatMap(target::slot);
        String stableRelease = serving.map(SlotState::releaseId).orElse(null);
        if (active.isPresent()) {
            log.info("active color: " + active.get().id() + serving.map(sl -> " (release " + sl.releaseId() + ", model "
                    + sl.modelName() + " v" + sl.modelVersion() + ")").orElse("") + "; deploying to " + idle.id());
        } else {
            log.info("no active color: first deploy of " + cfg.app() + ", deploying to " + idle.id());
        }
        Release rel = new Release(newId(), kind, cfg.app(), idle, cfg.image(), cfg.modelName(), cfg.modelVersion(),
                cfg.modelRef(), cfg.gitSha(), cfg.who(), cfg.buildUrl(), steps.now(), null, Outcome.IN_PROGRESS, null,
                stableRelease, cfg.alias());
        steps.write(Ledger.put(ledger, rel), cfg.historySize());

        // Before the switch: any failure scales the idle color down and leaves the active color alone.
        try {
            log.info("apply: " + idle.id() + " with image " + cfg.image() + ", model " + cfg.modelName() + " v"
                    + cfg.modelVersion() + ", " + cfg.replicas() + " replica(s); preview -> " + idle.id());
            target.prepare(idle, cfg, rel);
            Optional<String> problem = steps.awaitReady(idle, cfg.replicas(), cfg.readyTimeout(), s);
            if (problem.isEmpty()) {
                log.info("smoke test: " + idle.id() + " through " + target.previewEndpoint());
                problem = new SmokeTest(client, log, clock, sleeper)
                        .run(target.previewEndpoint(), cfg.smoke(), cfg.modelVersion(), s::tick);
            }
            if (problem.isPresent()) {
                throw steps.failBeforeSwitch(rel, idle, 0, problem.get(), Outcome.FAILED, cfg.historySize());
            }
            s.checkAbort();
        } catch (DeployFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw beforeSwitch(e, rel, idle, active, cfg);
        }

        // The switch: one write. Traffic is on the new color from here on.
        log.info("switch: traffic " + active.map(Color::id).orElse("(none)") + " -> " + idle.id());
        RuntimeException atSwitch = switchOrFail(idle, rel, active, 0, cfg.historySize());
        log.info("switch: traffic on " + idle.id() + " (release " + rel.id() + ")");

        afterSwitch(rel, active, stableRelease, cfg, s, atSwitch);
        active.ifPresent(old -> steps.scaleDownLater(old, cfg));
        String note = moveAlias(cfg);
        Release ok = rel.withOutcome(Outcome.SUCCEEDED, note, steps.now());
        steps.write(Ledger.put(History.rolledBack(target.ledger().read(), replaced, ok), ok), cfg.historySize());
        log.info("ledger: recorded release " + ok.id() + " (" + kind + ", " + idle.id() + ", SUCCEEDED) in "
                + target.ledger().describe());
        return ok;
    }

    /** An exception before the switch: ABORTED (exit 1) for an interrupt or abort, else FAILED and rethrown. */
    private RuntimeException beforeSwitch(RuntimeException e, Release rel, Color idle, Optional<Color> active,
                                          DeployConfig cfg) {
        if (Interrupts.isAbort(e)) {
            String stays = active.map(c -> "; traffic stays on " + c.id()).orElse("");
            return steps.failBeforeSwitch(rel, idle, 0, Interrupts.describe(e, "before the switch") + stays,
                    Outcome.ABORTED, cfg.historySize());
        }
        steps.failBeforeSwitch(rel, idle, 0, "infrastructure error before the switch: " + e.getMessage(),
                Outcome.FAILED, cfg.historySize());
        return e instanceof MlopsException ? e : new InfraException(idle.id() + " not deployed: " + e.getMessage(), e);
    }

    /**
     * Verification through the public endpoint. A failed check, any exception, an interrupt or an abort all switch
     * traffic back to {@code stable} and end in a thrown exception; returns normally only when verified.
     */
    private void afterSwitch(Release rel, Optional<Color> stable, String stableRelease, DeployConfig cfg,
                             LockSession s, RuntimeException pending) {
        Optional<String> bad;
        Outcome outcome = Outcome.FAILED;
        try {
            if (pending != null) {
                throw pending;
            }
            bad = steps.verify(target.activeEndpoint(), cfg, s);
            if (bad.isEmpty()) {
                s.checkAbort();
            }
        } catch (RuntimeException e) {
            outcome = Interrupts.isAbort(e) ? Outcome.ABORTED : Outcome.FAILED;
            bad = Optional.of(Interrupts.describe(e, "during verification"));
        }
        if (bad.isPresent()) {
            throw steps.revert(rel, stable, stableRelease, bad.get(), outcome, cfg.historySize());
        }
    }

    /**
     * The one write that moves traffic. If it fails and traffic did not move, the release is recorded and the error
     * thrown (ABORTED for an interrupt); if it landed although the answer was an error, verification decides and an
     * interrupt is returned to be handled after the switch.
     */
    private RuntimeException switchOrFail(Color to, Release rel, Optional<Color> from, int scaleBackTo, int history) {
        try {
            target.switchTo(to, rel.id());
            return null;
        } catch (RuntimeException e) {
            boolean abort = Interrupts.isAbort(e);
            if (!landed(to)) {
                String stays = "traffic stays on " + from.map(Color::id).orElse("nothing");
                String why = abort ? Interrupts.describe(e, "at the switch") + "; " + stays
                        : "switch failed, " + stays + ": " + e.getMessage();
                DeployFailedException f = steps.failBeforeSwitch(rel, to, scaleBackTo, why,
                        abort ? Outcome.ABORTED : Outcome.FAILED, history);
                if (abort) {
                    throw f;
                }
                throw e instanceof MlopsException ? e : new InfraException("switch failed: " + e.getMessage(), e);
            }
            log.warn("switch reported an error but the public endpoint selects " + to.id() + "; verifying it");
            return abort ? e : null;
        }
    }

    private boolean landed(Color c) {
        return Interrupts.uninterruptibly(() -> {
            try {
                return target.activeColor().equals(Optional.of(c));
            } catch (RuntimeException again) {
                return false;
            }
        });
    }

    private Release flip(DeployConfig cfg, Color active, Color warm, Release wanted, Release current, LockSession s) {
        // What the active color runs (its ledger entry is pinned, so it is found unless the ledger was lost).
        String currentId = current == null ? target.slot(active).map(SlotState::releaseId).orElse(null) : current.id();
        Release rel = new Release(newId(), "rollback", cfg.app(), warm, wanted.image(), wanted.modelName(),
                wanted.modelVersion(), wanted.modelRef(), wanted.gitSha(), cfg.who(), cfg.buildUrl(), steps.now(), null,
                Outcome.IN_PROGRESS, "flip to warm release " + wanted.id(), currentId, cfg.alias());
        int warmBefore = target.slot(warm).map(SlotState::desiredReplicas).orElse(0);
        // Recorded before anything moves, as a deploy is: a run that dies after the flip leaves an entry to clean up.
        steps.write(Ledger.put(target.ledger().read(), rel), cfg.historySize());
        try {
            Optional<String> lacking = steps.bringToCapacity(warm, cfg.replicas(), cfg.readyTimeout(), s);
            if (lacking.isPresent()) {
                throw steps.failBeforeSwitch(rel, warm, warmBefore, "rollback refused: " + lacking.get()
                        + "; traffic stays on " + active.id(), Outcome.FAILED, cfg.historySize());
            }
            s.checkAbort();
        } catch (DeployFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            String stays = "; traffic stays on " + active.id();
            if (Interrupts.isAbort(e)) {
                throw steps.failBeforeSwitch(rel, warm, warmBefore, Interrupts.describe(e, "before the flip") + stays,
                        Outcome.ABORTED, cfg.historySize());
            }
            steps.failBeforeSwitch(rel, warm, warmBefore, "infrastructure error before the flip: " + e.getMessage()
                    + stays, Outcome.FAILED, cfg.historySize());
            throw e;
        }
        log.info("switch: traffic " + active.id() + " -> " + warm.id() + " (warm, release " + wanted.id() + ")");
        RuntimeException atSwitch = switchOrFail(warm, rel, Optional.of(active), warmBefore, cfg.historySize());
        log.info("switch: traffic on " + warm.id());
        afterSwitch(rel, Optional.of(active), currentId, cfg, s, atSwitch);
        // The restored color serves at full size with no pending scale-down; the color left stays full for the delay.
        target.scale(warm, cfg.replicas());
        steps.scaleDownLater(active, cfg);
        String note = moveAlias(cfg);
        Release ok = rel.withOutcome(Outcome.SUCCEEDED, note == null ? rel.reason() : rel.reason() + "; " + note,
                steps.now());
        steps.write(Ledger.put(History.rolledBack(target.ledger().read(), current, ok), ok), cfg.historySize());
        log.info("ledger: recorded release " + ok.id() + " (rollback, " + warm.id() + ", SUCCEEDED)");
        return ok;
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
            boolean serving = History.switched(r, active);
            String why;
            if (serving) {
                why = "the run died after the switch; this release kept serving unverified until replaced";
            } else if (History.prepared(r, target.slot(r.color()))) {
                steps.scaleQuietly(r.color(), 0);
                why = "the run died before the switch; " + r.color().id() + " scaled to zero";
            } else {
                why = "the run died before its flip; " + r.color().id() + " keeps running its earlier release";
            }
            log.warn("found unfinished release " + r.id() + " on " + r.color().id() + " by " + r.who() + ": " + why);
            out = Ledger.put(out, r.withOutcome(Outcome.INTERRUPTED, why, steps.now()));
        }
        if (out != ledger) {
            steps.write(out, history);
        }
        return out;
    }

    private String newId() {
        // Time-ordered and short: yyyymmdd-hhmmss plus 4 hex digits so two runs in one second differ.
        String t = clock.instant().truncatedTo(ChronoUnit.SECONDS).toString().replace("-", "").replace(":", "")
                .replace("T", "-").replace("Z", "");
        return "r" + t + "-" + String.format(Locale.ROOT, "%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    private LockSession lock(String who, String buildUrl, Duration ttl, String app) {
        return LockSession.acquire(target, who, buildUrl, ttl, app, clock, log);
    }
}
