package dev.mlops.engine.deploy;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

/**
 * Where blue and green run: a Kubernetes namespace or local processes. {@link BlueGreen} drives the algorithm; a
 * target only performs single steps. Writes are kept to one call each so their count is predictable.
 */
public interface Target extends AutoCloseable {

    /** For logs: namespace and cluster, or state folder; never credentials. */
    String describe();

    Lock lock();

    Ledger ledger();

    /** The color the public endpoint (active Service / proxy) sends traffic to; empty before the first deploy. */
    Optional<Color> activeColor();

    /** What runs on {@code color}; empty when nothing was ever deployed there. */
    Optional<SlotState> slot(Color color);

    /** Deploys {@code cfg} on {@code color} at full replicas, labelled with {@code release}, and points the preview at it. */
    void prepare(Color color, DeployConfig cfg, Release release);

    /** One look at the rollout of {@code color}. */
    Readiness readiness(Color color, int replicas);

    /** Base URI of the preview endpoint (only the color being prepared). */
    URI previewEndpoint();

    /** Base URI of the public endpoint (whatever color is active). */
    URI activeEndpoint();

    /** Sends all new traffic to {@code color} in one write (creating the public endpoint on the first deploy). */
    void switchTo(Color color, String releaseId);

    /** Sets the replica count of {@code color} (0 stops it) and cancels a scale-down scheduled for it. */
    void scale(Color color, int replicas);

    /**
     * Records that {@code color} should go down to {@code replicas} at {@code at}; nothing changes before then.
     * There is no controller: {@link BlueGreen} applies due scale-downs at the start of the next deploy, rollback,
     * abort or status ({@link SlotState#scaleDownAt()} carries the deadline).
     */
    void scheduleScaleDown(Color color, int replicas, Instant at);

    /** Checks what can be checked about {@code cfg} before the lock is taken (InputException: exit 2). */
    default void preflight(DeployConfig cfg) {
    }

    /**
     * Makes the public endpoint serve the recorded active color again if it is down (local target: restarts a dead
     * proxy on its last upstream). Returns what it did, for the log; empty when nothing was needed.
     */
    default Optional<String> repairEndpoint() {
        return Optional.empty();
    }

    @Override
    void close();
}
