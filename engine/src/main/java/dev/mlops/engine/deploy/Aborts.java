package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.MlopsException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * {@code mlops abort}: a live run is asked through its lock and stops itself at its next check (switching back if
 * it had switched); a run that died (lock expired, or its process gone from this machine) is cleaned up here.
 * Either way the release ends ABORTED with traffic on the stable color.
 */
final class Aborts {
    /** Abort rewrites one entry; the next deploy trims the ledger with its own history size. */
    private static final int KEEP_ALL = Integer.MAX_VALUE;
    private static final Duration CAPACITY_TIMEOUT = Duration.ofMinutes(5);

    private final Target target;
    private final Steps steps;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;

    Aborts(Target target, Steps steps, Log log, Clock clock, Sleeper sleeper) {
        this.target = target;
        this.steps = steps;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    Optional<LockInfo> request(String app, String who) {
        Optional<LockInfo> cur = target.lock().current();
        if (cur.isEmpty() || cur.get().holderGone()) {
            return Optional.empty();
        }
        Optional<LockInfo> marked = target.lock().requestAbort(who);
        marked.ifPresent(l -> log.info("abort: asked the run of " + l.holder() + " to stop (" + app + ", "
                + target.describe() + ")"));
        return marked;
    }

    Release abort(String app, String who, Duration wait) {
        Optional<LockInfo> asked = request(app, who);
        if (asked.isPresent()) {
            Optional<Release> stopped = awaitStop(asked.get(), wait);
            if (stopped.isPresent()) {
                return stopped.get();
            }
        }
        return cleanUp(app, who);
    }

    /** The release the asked run recorded once it let go of the lock; empty when it died instead. */
    private Optional<Release> awaitStop(LockInfo asked, Duration wait) {
        Instant deadline = clock.instant().plus(wait);
        log.info("abort: waiting up to " + wait.toSeconds() + " s for the run of " + asked.holder() + " to switch back");
        while (true) {
            Optional<LockInfo> cur = target.lock().current();
            if (cur.isEmpty() || !cur.get().token().equals(asked.token()) || cur.get().holderGone()) {
                break;
            }
            if (!clock.instant().isBefore(deadline)) {
                throw new InfraException("abort: the run of " + asked.describe() + " did not stop within "
                        + wait.toSeconds() + " s; the request stays on its lock, so it stops at its next check. "
                        + "Follow it with `mlops status`, or run `mlops abort` again");
            }
            sleeper.sleep(Steps.POLL);
        }
        List<Release> ledger = target.ledger().read();
        if (ledger.stream().anyMatch(r -> r.outcome() == Outcome.IN_PROGRESS)) {
            return Optional.empty(); // it died without recording an end: clean up here
        }
        Instant since = asked.acquiredAt().truncatedTo(ChronoUnit.MILLIS);
        Optional<Release> mine = ledger.stream().filter(r -> r.startedAt() != null
                && !Instant.parse(r.startedAt()).isBefore(since)).findFirst();
        return Optional.of(mine.orElseThrow(() -> new InputException("abort: the run of " + asked.holder()
                + " stopped before it started a release; nothing changed")));
    }

    private Release cleanUp(String app, String who) {
        if (target.ledger().read().stream().noneMatch(r -> r.outcome() == Outcome.IN_PROGRESS)) {
            throw new InputException("abort: no deploy of " + app + " is in progress on " + target.describe());
        }
        try (LockSession s = LockSession.acquire(target, who, null, Duration.ofSeconds(90), app, clock, log)) {
            Release r = target.ledger().read().stream().filter(x -> x.outcome() == Outcome.IN_PROGRESS).findFirst()
                    .orElseThrow(() -> new InputException("abort: the deploy of " + app + " finished meanwhile"));
            Optional<Color> active = target.activeColor();
            Optional<SlotState> slot = target.slot(r.color());
            boolean serving = History.switched(r, active);
            log.warn("abort: release " + r.id() + " of " + r.who() + " on " + r.color().id() + " was left in progress by"
                    + " a run that stopped " + (serving ? "after" : "before") + " the switch");
            if (!serving) {
                String left;
                if (History.prepared(r, slot)) {
                    steps.scaleQuietly(r.color(), 0);
                    left = r.color().id() + " scaled to zero";
                } else {
                    left = r.color().id() + " keeps running its earlier release";
                }
                return steps.record(r.withOutcome(Outcome.ABORTED, "aborted by " + who + ": the run had stopped before"
                        + " the switch; " + left, steps.now()), KEEP_ALL);
            }
            Color back = r.color().other();
            Optional<SlotState> prev = target.slot(back);
            if (prev.isEmpty() || prev.get().desiredReplicas() == 0 || r.previousRelease() == null
                    || !r.previousRelease().equals(prev.get().releaseId())) {
                String why = "aborted by " + who + ", but " + back.id() + " does not run the previous release; release "
                        + r.id() + " keeps serving, unverified. Deploy a known-good version, or `mlops rollback --to"
                        + " <release>` from the ledger";
                steps.record(r.withOutcome(Outcome.INTERRUPTED, why, steps.now()), KEEP_ALL);
                throw new InfraException("abort: " + why);
            }
            int size = Math.max(1, slot.map(SlotState::desiredReplicas).orElse(1));
            Optional<String> lacking = steps.bringToCapacity(back, size, CAPACITY_TIMEOUT, s);
            if (lacking.isPresent()) {
                throw new InfraException("abort: " + back.id() + " cannot take traffic back: " + lacking.get()
                        + "; traffic stays on " + r.color().id() + " (release " + r.id() + " still IN_PROGRESS)");
            }
            MlopsException e = steps.revert(r, Optional.of(back), r.previousRelease(), "aborted by " + who
                    + " (the run had stopped after the switch)", Outcome.ABORTED, KEEP_ALL);
            if (e instanceof DeployFailedException done) {
                return done.release();
            }
            throw e;
        }
    }
}
