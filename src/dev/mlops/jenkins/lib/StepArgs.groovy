package dev.mlops.jenkins.lib

import com.cloudbees.groovy.cps.NonCPS

/**
 * The parameters of each mlops step, shared by the plugin step and the command line: the same names and defaults as
 * the plugin's steps (which mirror the mlops options), so a wrapper passes them to the plugin as they are or turns
 * them into a mlops command line.
 */
class StepArgs implements Serializable {
    private static final long serialVersionUID = 1L

    static final List<String> SPEC = ['spec', 'set']
    static final List<String> TRACKED = SPEC + ['trackingUri', 'mlflowCredentialsId']
    static final List<String> RELEASE = TRACKED + ['environment', 'app', 'target', 'namespace', 'kubeconfigCredentialsId',
                                                   'propagate']
    /** Parameters only the library takes: how to bind the MLflow credentials for sh, and which way to run. */
    static final List<String> LIBRARY = ['mlflowCredentialsType', 'mode']

    static final Map<String, Map> STEPS = [
            mlValidateData : [command: 'validate-data', params: SPEC + ['out', 'onViolation']],
            mlTrain        : [command: 'train', params: TRACKED + ['out', 'gitSha', 'track']],
            mlGate         : [command: 'gate', params: TRACKED + ['out', 'metrics', 'baselineVersion', 'onViolation']],
            mlRegister     : [command: 'register', params: TRACKED + ['out', 'runId', 'alias']],
            blueGreenDeploy: [command: 'deploy', params: RELEASE + ['modelVersion', 'modelName', 'modelRef', 'image', 'gitSha']],
            mlRollback     : [command: 'rollback', params: RELEASE + ['to']],
    ]

    /** Step parameter -> mlops option (credentials, set, track and the step-only switches are handled apart). */
    static final Map<String, String> OPTIONS = [
            spec           : '-f', out: '--out', trackingUri: '--tracking-uri', gitSha: '--git-sha', metrics: '--metrics',
            baselineVersion: '--baseline-version', runId: '--run-id', alias: '--alias', environment: '--environment',
            modelVersion   : '--model-version', modelName: '--model-name', modelRef: '--model-ref', image: '--image',
            app            : '--app', target: '--target', namespace: '--namespace', to: '--to',
    ]

    /** One line naming what is wrong with {@code args}, or null. */
    @NonCPS
    static String problem(String step, Map args) {
        Map stepDef = STEPS[step]
        List<String> known = (stepDef.params as List<String>) + LIBRARY
        List<String> unknown = (args ?: [:]).keySet().collect { it as String }.findAll { !known.contains(it) }
        if (unknown) {
            return "${step}: unknown parameter${unknown.size() > 1 ? 's' : ''} ${unknown.join(', ')}; " +
                    "known: ${known.join(', ')}"
        }
        if (step == 'blueGreenDeploy' && !args?.modelVersion) {
            return 'blueGreenDeploy: modelVersion is required (the registered version to deploy)'
        }
        String env = args?.environment
        if (env != null && !(env in ['production', 'staging'])) {
            return "${step}: environment '${env}' must be one of [production, staging]"
        }
        String onViolation = args?.onViolation
        if (onViolation != null && !(onViolation in ['fail', 'unstable', 'ignore'])) {
            return "${step}: onViolation '${onViolation}' must be one of [fail, unstable, ignore]"
        }
        String type = args?.mlflowCredentialsType
        if (type != null && !(type in ['token', 'usernamePassword'])) {
            return "${step}: mlflowCredentialsType '${type}' must be token or usernamePassword"
        }
        for (String entry : setEntries(args?.set)) {
            if (!(entry ==~ /[A-Za-z][A-Za-z0-9_.\-]*=.*/)) {
                return "${step}: set entry '${entry}' is not key.path=value (e.g. 'model.seed=7')"
            }
        }
        return null
    }

    /** {@code set} as the list of key=value entries mlops takes; a map is accepted too ({@code ['model.seed': 7]}). */
    @NonCPS
    static List<String> setEntries(Object set) {
        if (set == null) {
            return []
        }
        if (set instanceof Map) {
            return ((Map) set).collect { k, v -> "${k}=${v}".toString() }
        }
        if (set instanceof Collection) {
            return ((Collection) set)*.toString()
        }
        return [set.toString()]
    }

    /** What the plugin step takes: the step's own parameters, {@code set} as a list. */
    @NonCPS
    static Map pluginArgs(Map args) {
        Map out = [:]
        (args ?: [:]).each { k, v ->
            if (!(k in LIBRARY)) {
                out[k] = k == 'set' ? setEntries(v) : v
            }
        }
        return out
    }

    /** {@code <command> --json -f <spec> ...}; never a secret (credentials go through withCredentials). */
    @NonCPS
    static List<String> cliArgs(String step, Map args) {
        Map a = args ?: [:]
        List<String> out = [STEPS[step].command as String, '--json', '-f', (a.spec ?: 'mlops.yaml') as String]
        for (String entry : setEntries(a.set)) {
            out += ['--set', entry]
        }
        (STEPS[step].params as List<String>).each { String p ->
            if (p != 'spec' && OPTIONS[p] && a[p] != null) {
                out += [OPTIONS[p], a[p] as String]
            }
        }
        if (a.track == false) {
            out << '--no-track'
        }
        return out
    }

    /** The sh form of a command line: every argument single-quoted. */
    @NonCPS
    static String shell(String executable, List<String> args) {
        return ([executable] + args).collect { quote(it) }.join(' ')
    }

    @NonCPS
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'"
    }
}
