package dev.mlops.jenkins.lib

/**
 * Runs one mlops step the way this Jenkins can: the plugin's step when the plugin is installed (reached through the
 * {@code steps} variable, because a library variable of the same name hides the step), otherwise the mlops command
 * line with {@code sh}, credentials bound with withCredentials. Says in the log which way it took. Both ways return
 * the same map and fail the same way.
 */
class StepRouter implements Serializable {
    private static final long serialVersionUID = 1L

    static Object run(def script, String step, Map args) {
        String problem = StepArgs.problem(step, args)
        if (problem) {
            script.error(problem)
        }
        String mode = args?.mode ?: script.env.MLOPS_MODE ?: 'auto'
        if (mode != 'cli') {
            try {
                Object result = script.steps."${step}"(StepArgs.pluginArgs(args))
                script.echo "${step}: ran the mlops plugin step"
                return result
            } catch (NoSuchMethodError e) {
                if (mode == 'plugin' || !(e.message ?: '').contains("No such DSL method '${step}'")) {
                    throw e
                }
                script.echo "${step}: the mlops plugin is not installed; running the mlops command line with sh"
            }
        } else {
            script.echo "${step}: running the mlops command line with sh (MLOPS_MODE=cli)"
        }
        return viaCli(script, step, args ?: [:])
    }

    static Object viaCli(def script, String step, Map args) {
        String executable = script.env.MLOPS_CLI ?: 'mlops'
        String out = "${script.pwd(tmp: true)}/mlops-${step}-result.json"
        List bindings = []
        String cmd = StepArgs.shell(executable, StepArgs.cliArgs(step, args))
        if (args.mlflowCredentialsId) {
            if ((args.mlflowCredentialsType ?: 'token') == 'token') {
                bindings << script.string(credentialsId: args.mlflowCredentialsId, variable: 'MLFLOW_TRACKING_TOKEN')
            } else {
                bindings << script.usernamePassword(credentialsId: args.mlflowCredentialsId,
                        usernameVariable: 'MLFLOW_TRACKING_USERNAME', passwordVariable: 'MLFLOW_TRACKING_PASSWORD')
            }
        }
        if (args.kubeconfigCredentialsId) {
            // The file binding writes the kubeconfig outside the workspace and removes it after the block; the shell
            // expands the variable, so only its path is ever on a command line.
            bindings << script.file(credentialsId: args.kubeconfigCredentialsId, variable: 'MLOPS_KUBECONFIG')
            cmd += ' --kubeconfig "$MLOPS_KUBECONFIG"'
        }
        int rc = 0
        script.withCredentials(bindings) {
            rc = script.sh(script: "${cmd} > ${StepArgs.quote(out)}", returnStatus: true)
        }
        Map result = script.fileExists(out) ? Results.parse(script.readFile(out)) : null
        script.sh(script: "rm -f ${StepArgs.quote(out)}", returnStatus: true)
        return finish(script, step, args, result, rc)
    }

    /** Exit codes as the plugin maps them: 0 ok, 1 a check or release failed (with a result), else an error line. */
    static Object finish(def script, String step, Map args, Map result, int rc) {
        if (result?.reports?.junitXml) {
            // As the plugin step does: the report relative to the workspace, the way the junit step wants it.
            result.junitXml = Results.relative(result.reports.junitXml as String, script.env.WORKSPACE as String)
        }
        if (rc == 0 && result != null && result.error == null) {
            return result
        }
        if (rc != 1 || result == null || result.error != null) {
            script.error(Results.error(step, result, rc))
        }
        switch (step) {
            case 'mlGate':
            case 'mlValidateData':
                String line = step == 'mlGate' ? Results.gateFailure(step, result) : Results.dataFailure(step, result)
                String onViolation = args.onViolation ?: 'fail'
                if (onViolation == 'unstable') {
                    script.unstable(line)
                } else if (onViolation == 'ignore') {
                    script.echo "${line} (onViolation: ignore)"
                } else {
                    script.error(line)
                }
                return result
            case 'mlTrain':
                script.error(Results.dataFailure(step, result).replace('data checks failed', 'data checks failed, nothing was trained'))
                return result
            default:
                if (args.propagate == false) {
                    script.echo "${Results.release(step, result)} (propagate: false)"
                    return result
                }
                script.error(Results.release(step, result))
                return result
        }
    }
}
