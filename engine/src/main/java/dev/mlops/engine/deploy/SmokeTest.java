package dev.mlops.engine.deploy;

import dev.mlops.engine.Log;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a color through its preview endpoint before it gets traffic: it is ready, it serves the version being
 * deployed on several answers in a row (retrying until it does, because a Service may still reach old pods for a
 * moment), its predictions on the sample rows agree with the expected labels, and the slowest request fits the
 * latency budget.
 */
final class SmokeTest {
    private static final Duration RETRY = Duration.ofMillis(500);

    private final ServerClient client;
    private final Log log;
    private final Clock clock;
    private final Sleeper sleeper;

    SmokeTest(ServerClient client, Log log, Clock clock, Sleeper sleeper) {
        this.client = client;
        this.log = log;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Empty when the color passed; otherwise the reason it failed. */
    Optional<String> run(URI base, SmokeSpec spec, String expectedVersion, Runnable whileWaiting) {
        Instant deadline = clock.instant().plus(spec.timeout());
        ServerClient.Reply ready;
        String lastProblem;
        // Phase 1: readiness and the served version on several answers in a row (the preview Service's endpoints
        // follow its selector change with a lag, like the public one's), retried until the deadline.
        while (true) {
            int inARow = 0;
            lastProblem = null;
            ready = null;
            while (inARow < Steps.SETTLED_IN_A_ROW && lastProblem == null) {
                ServerClient.Reply r = client.get(base, "/ready");
                if (!r.ok()) {
                    lastProblem = "/ready answered " + r.describe();
                } else if (!expectedVersion.equals(r.modelVersion())) {
                    lastProblem = "served model_version " + r.modelVersion() + ", expected " + expectedVersion;
                } else {
                    inARow++;
                    ready = ready == null || r.micros() > ready.micros() ? r : ready;
                }
            }
            if (lastProblem == null) {
                break;
            }
            if (!clock.instant().isBefore(deadline)) {
                return Optional.of("smoke test: " + lastProblem + " (gave up after " + spec.timeout().toSeconds() + " s)");
            }
            whileWaiting.run();
            sleeper.sleep(RETRY);
        }
        long slowest = ready.micros();
        if (!spec.rows().isEmpty()) {
            ServerClient.Reply p = client.predict(base, spec.rows());
            if (!p.ok()) {
                return Optional.of("smoke test: /predict answered " + p.describe());
            }
            if (!expectedVersion.equals(p.modelVersion())) {
                return Optional.of("smoke test: /predict served model_version " + p.modelVersion() + ", expected "
                        + expectedVersion);
            }
            if (p.predictions().size() != spec.rows().size()) {
                return Optional.of("smoke test: /predict returned " + p.predictions().size() + " predictions for "
                        + spec.rows().size() + " rows");
            }
            if (!spec.expected().isEmpty()) {
                int agree = 0;
                String firstMiss = null;
                for (int i = 0; i < spec.expected().size(); i++) {
                    if (spec.expected().get(i).equals(p.predictions().get(i))) {
                        agree++;
                    } else if (firstMiss == null) {
                        firstMiss = "row " + (i + 1) + ": predicted " + p.predictions().get(i) + ", expected "
                                + spec.expected().get(i);
                    }
                }
                double share = (double) agree / spec.expected().size();
                if (share < spec.minAgreement()) {
                    return Optional.of(String.format(Locale.ROOT,
                            "smoke test: predictions agree on %d of %d sample rows (%.0f%%, need %.0f%%); first: %s",
                            agree, spec.expected().size(), 100 * share, 100 * spec.minAgreement(), firstMiss));
                }
            }
            slowest = Math.max(slowest, p.micros());
        }
        if (slowest > spec.latencyBudget().toNanos() / 1000) {
            return Optional.of(String.format(Locale.ROOT, "smoke test: slowest request took %.1f ms, budget %d ms",
                    slowest / 1000.0, spec.latencyBudget().toMillis()));
        }
        log.info(String.format(Locale.ROOT, "smoke test passed: ready, model_version %s, predictions checked on %d sample rows, slowest %.1f ms",
                expectedVersion, spec.rows().size(), slowest / 1000.0));
        return Optional.empty();
    }
}
