package dev.mlops.jenkins.lib

import com.cloudbees.groovy.cps.NonCPS

/**
 * Whether a failed production release needs mlRollback. The engine already keeps (or puts) traffic on the healthy
 * color when a deploy fails, and "rollback to previous" from there would undo the last GOOD release. So the pipeline
 * rolls back only when traffic is on the release that failed (the engine could not switch back), or when the
 * pipeline's own checks after a successful deploy failed.
 */
class ReleaseDecision implements Serializable {
    private static final long serialVersionUID = 1L

    @NonCPS
    static boolean needsRollback(Map result) {
        if (result == null || result.release == null) {
            return false
        }
        return result.exitCode != 0 && result.trafficOn != null && result.trafficOn == result.release.color
    }
}
