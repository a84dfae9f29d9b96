package dev.mlops.jenkins.lib

import com.cloudbees.groovy.cps.NonCPS
import groovy.json.JsonSlurperClassic

/**
 * Reading what {@code mlops --json} printed, and the one-line messages a failed step shows (the same ones the plugin
 * shows). JsonSlurperClassic gives plain, serializable maps, safe to keep across Pipeline steps.
 */
class Results implements Serializable {
    private static final long serialVersionUID = 1L

    @NonCPS
    static Map parse(String text) {
        if (text == null || text.trim().isEmpty()) {
            return null
        }
        Object parsed = new JsonSlurperClassic().parseText(text)
        return parsed instanceof Map ? (Map) parsed : null
    }

    @NonCPS
    static String relative(String path, String workspace) {
        if (workspace && path.startsWith(workspace + '/')) {
            return path.substring(workspace.length() + 1)
        }
        return path
    }

    /** The CLI's own error line, or what the exit code means. */
    @NonCPS
    static String error(String step, Map result, int exitCode) {
        String message = result?.error?.message
        if (message == null) {
            message = "mlops stopped with exit code ${exitCode} and no result (see the log above)"
        }
        return "${step}: ${message}${exitCode == 3 ? ' (infrastructure error; safe to retry)' : ''}"
    }

    /** "gate failed: accuracy: accuracy 0.99 is below the minimum 0.999." (from GateResult.failures). */
    @NonCPS
    static String gateFailure(String step, Map gate) {
        List reasons = (gate?.failures ?: []).collect { "${it.subject}: ${it.message}" }
        return "${step}: gate failed: ${reasons.join('; ')}"
    }

    /** "data checks failed: ..." (from a ValidateDataResult's report). */
    @NonCPS
    static String dataFailure(String step, Map result) {
        List checks = (result?.report?.checks ?: result?.dataChecks?.report?.checks ?: []) as List
        List reasons = checks.findAll { it.verdict == 'FAIL' }.collect { "${it.subject}: ${it.message}" }
        return "${step}: data checks failed: ${reasons.join('; ')}"
    }

    /** "production deploy r-7 (model v3 on green) FAILED: reason; traffic is on blue" (from a ReleaseResult). */
    @NonCPS
    static String release(String step, Map r) {
        Map rel = (r?.release ?: [:]) as Map
        String traffic = r?.trafficOn ?: 'no color (nothing serves)'
        return "${step}: ${rel.environment} ${rel.kind} ${rel.id} (${rel.modelName} v${rel.modelVersion} on " +
                "${rel.color}) ${rel.outcome}: ${rel.reason}; traffic is on ${traffic}"
    }
}
