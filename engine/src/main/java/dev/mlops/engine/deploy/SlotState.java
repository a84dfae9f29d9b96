package dev.mlops.engine.deploy;

/** What one color runs right now, read from the target (Deployment annotations, or the local process file). */
public record SlotState(Color color, String releaseId, String image, String modelName, String modelVersion,
                        int desiredReplicas, int readyReplicas) {
}
