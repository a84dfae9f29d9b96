package dev.mlops.engine.deploy;

import java.time.Duration;

/** Waiting between polls; tests pass one that advances a fake clock (and plays the cluster's controllers). */
@FunctionalInterface
public interface Sleeper {
    void sleep(Duration d);

    Sleeper REAL = d -> {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedDeployException("interrupted while waiting");
        }
    };
}
