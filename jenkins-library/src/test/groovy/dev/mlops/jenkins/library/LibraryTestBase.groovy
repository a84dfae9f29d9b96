package dev.mlops.jenkins.library

import com.lesfurets.jenkins.unit.BasePipelineTest
import com.lesfurets.jenkins.unit.MethodCall
import groovy.json.JsonOutput
import org.junit.jupiter.api.BeforeEach

import java.nio.file.Files
import java.nio.file.Path
import java.nio.file.Paths

import static com.lesfurets.jenkins.unit.global.lib.LibraryConfiguration.library
import static com.lesfurets.jenkins.unit.global.lib.LocalSource.localSource

/**
 * The repository root loaded as the shared library 'mlops' (as Jenkins loads it with @Library('mlops')), and mocks of
 * the Jenkins steps the library and the Jenkinsfile use. The mlops command line is mocked at the sh level: each
 * command gets a canned --json result (the engine's field names), written where the command redirects it.
 */
abstract class LibraryTestBase extends BasePipelineTest {
    static final Path ROOT = findRoot()

    final List<String> events = []
    FakeSteps steps
    Map<String, Object> env
    /** mlops subcommand (or "deploy:production") -> [exitCode, result map]. */
    final Map<String, List> cli = [:]
    final Map<String, String> files = [:]
    boolean inNode
    /** Each input step call, and whether it ran inside a node (holding an executor). */
    final List<Map> inputs = []

    static Path findRoot() {
        Path p = Paths.get('').toAbsolutePath()
        while (p != null && !Files.isDirectory(p.resolve('vars'))) {
            p = p.parent
        }
        return p
    }

    @BeforeEach
    void setUpLibrary() {
        scriptRoots = [target().toString(), ROOT.toString()] as String[]
        scriptExtension = 'groovy'
        super.setUp()
        Path libs = Files.createDirectories(target().resolve('shared-libs'))
        Path link = libs.resolve('mlops@main')
        if (!Files.exists(link)) {
            Files.createSymbolicLink(link, ROOT)
        }
        helper.registerSharedLibrary(library().name('mlops').retriever(localSource(libs.toString()))
                .targetPath(libs.toString()).defaultVersion('main').allowOverride(true).implicit(false).build())

        env = [GIT_COMMIT: '0123456789abcdef', JOB_NAME: 'cancer', BUILD_NUMBER: '7', BUILD_URL: 'http://ci/job/cancer/7/',
               WORKSPACE: '/ws']
        steps = new FakeSteps(events)
        binding.setVariable('env', env)
        binding.setVariable('steps', steps)
        binding.setVariable('scm', [$class: 'GitSCM'])
        binding.setVariable('docker', new FakeDocker(events))
        defaults()
        mocks()
    }

    static Path target() {
        Path t = Paths.get('target', 'pipelines').toAbsolutePath()
        Files.createDirectories(t)
        return t
    }

    /** A passing run of the bundled example, field names as `mlops --json` prints them. */
    void defaults() {
        cli['validate-data'] = [0, [passed: true, exitCode: 0, report: [checks: []],
                                    reports: [junitXml: '/ws/out/reports/data.junit.xml']]]
        cli['train'] = [0, [runId: 'abc123', model: '/ws/out/model.tribuo', modelSha256: 'f' * 64, algorithm: 'logistic',
                            chosen: [C: 0.1], metrics: [accuracy: 0.99], dataChecks: [passed: true], exitCode: 0]]
        cli['gate'] = [0, [passed: true, exitCode: 0, failures: [], reports: [junitXml: '/ws/out/reports/gate.junit.xml']]]
        cli['register'] = [0, [name: 'breast-cancer-classifier', version: '3', alias: 'candidate', exitCode: 0]]
        cli['deploy:staging'] = [0, release('staging', 'blue', 'SUCCEEDED', null) + [trafficOn: 'blue']]
        cli['deploy:production'] = [0, release('production', 'green', 'SUCCEEDED', null) + [trafficOn: 'green']]
        cli['rollback'] = [0, release('production', 'blue', 'SUCCEEDED', null) + [trafficOn: 'blue']]
    }

    static Map release(String environment, String color, String outcome, String reason) {
        return [release: [id: "r-${environment}", kind: 'deploy', environment: environment, color: color,
                          modelName: 'breast-cancer-classifier', modelVersion: '3', outcome: outcome, reason: reason],
                exitCode: outcome == 'SUCCEEDED' ? 0 : 1]
    }

    void failGate() {
        cli['gate'] = [1, [passed: false, exitCode: 1, reports: [junitXml: '/ws/out/reports/gate.junit.xml'],
                           failures: [[subject: 'accuracy', message: 'accuracy 0.91 is below the minimum 0.93.']]]]
    }

    /** The plugin's answers are the CLI's results (both are the engine's result maps). */
    void installPlugin() {
        ['mlValidateData': 'validate-data', 'mlTrain': 'train', 'mlGate': 'gate', 'mlRegister': 'register',
         'mlRollback': 'rollback'].each { step, cmd ->
            steps.installed << step
            // The plugin step adds junitXml, relative to the workspace, to what the engine returned.
            steps.answers[step] = { Map a ->
                Map r = new LinkedHashMap(cli[cmd][1] as Map)
                if (r.reports?.junitXml) {
                    r.junitXml = (r.reports.junitXml as String) - '/ws/'
                }
                return r
            }
        }
        steps.installed << 'blueGreenDeploy'
        steps.answers['blueGreenDeploy'] = { Map a -> cli["deploy:${a.environment ?: 'production'}"][1] }
    }

    void mocks() {
        helper.registerAllowedMethod('error', [String], { String m ->
            updateBuildStatus('FAILURE')
            throw new PipelineError(m)
        })
        helper.registerAllowedMethod('unstable', [String], { String m -> updateBuildStatus('UNSTABLE') })
        Closure inside = { Closure c ->
            inNode = true
            try {
                return c.call()
            } finally {
                inNode = false
            }
        }
        helper.registerAllowedMethod('node', [String, Closure], { String label, Closure c -> inside(c) })
        helper.registerAllowedMethod('node', [Closure], { Closure c -> inside(c) })
        helper.registerAllowedMethod('checkout', [Object], { [GIT_COMMIT: '0123456789abcdef'] })
        helper.registerAllowedMethod('pwd', [Map], { '/ws@tmp' })
        helper.registerAllowedMethod('junit', [Map], null)
        helper.registerAllowedMethod('input', [Map], { Map m ->
            inputs << (m + [inNode: inNode])
            return 'approver-1'
        })
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map m, Closure c -> c.call() })
        helper.registerAllowedMethod('mail', [Map], null)
        helper.registerAllowedMethod('emailext', [Map], null)
        helper.registerAllowedMethod('string', [Map], { Map m -> "string:${m.credentialsId}->${m.variable}".toString() })
        helper.registerAllowedMethod('usernamePassword', [Map], { Map m -> "usernamePassword:${m.credentialsId}".toString() })
        helper.registerAllowedMethod('file', [Map], { Map m -> "file:${m.credentialsId}->${m.variable}".toString() })
        helper.registerAllowedMethod('withCredentials', [List, Closure], { List l, Closure c -> c.call() })
        helper.registerAllowedMethod('fileExists', [String], { String p -> files.containsKey(p) })
        helper.registerAllowedMethod('readFile', [String], { String p -> files[p] })
        helper.registerAllowedMethod('sh', [Map], { Map m -> sh(m.script as String) })
    }

    /** "'./mlops' 'gate' '--json' ... > '/ws@tmp/x.json'": the canned result goes into the redirect target. */
    int sh(String script) {
        if (script.startsWith('rm -f')) {
            return 0
        }
        List<String> words = (script =~ /'((?:[^']|'\\'')*)'/).collect { it[1] as String }
        String command = words[1]
        String key = command
        int env = words.indexOf('--environment')
        if (command == 'deploy') {
            key = "deploy:${env >= 0 ? words[env + 1] : 'production'}"
        }
        events << "sh:${script}".toString()
        List canned = cli[key]
        if (canned == null) {
            files[words.last()] = JsonOutput.toJson([error: [message: "no canned result for ${key}", exitCode: 2]])
            return 2
        }
        files[words.last()] = JsonOutput.toJson(canned[1])
        return canned[0] as int
    }

    /** Writes a test pipeline that loads the library and runs it. */
    Object pipeline(String name, String body) {
        Path file = target().resolve("${name}.groovy")
        Files.writeString(file, "@Library('mlops') _\n" + body + '\n')
        return runScript(file.toString())
    }

    List<String> calls(String name) {
        return helper.callStack.findAll { MethodCall c -> c.methodName == name }
                .collect { MethodCall c -> MethodCall.callArgsToString(c) }
    }

    List<String> callNames() {
        return helper.callStack.collect { MethodCall c -> c.methodName }
    }
}
