package dev.mlops.engine.deploy;

import java.net.URI;
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

    /** Sets the replica count of {@code color}; 0 stops it. */
    void scale(Color color, int replicas);

    @Override
    void close();
}
