package dev.mlops.engine.deploy;

import java.time.Instant;

/**
 * What one color runs right now, read from the target (Deployment annotations, or the local process file).
 * {@code scaleDownAt} / {@code scaleDownTo}: a pending delayed scale-down (null when none).
 */
public record SlotState(Color color, String releaseId, String image, String modelName, String modelVersion,
                        int desiredReplicas, int readyReplicas, Instant scaleDownAt, Integer scaleDownTo) {

    public SlotState(Color color, String releaseId, String image, String modelName, String modelVersion,
                     int desiredReplicas, int readyReplicas) {
        this(color, releaseId, image, modelName, modelVersion, desiredReplicas, readyReplicas, null, null);
    }
}
