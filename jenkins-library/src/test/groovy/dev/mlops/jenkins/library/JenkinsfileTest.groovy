package dev.mlops.jenkins.library

import org.codehaus.groovy.ast.ASTNode
import org.codehaus.groovy.ast.CodeVisitorSupport
import org.codehaus.groovy.ast.builder.AstBuilder
import org.codehaus.groovy.ast.expr.ArgumentListExpression
import org.codehaus.groovy.ast.expr.ConstantExpression
import org.codehaus.groovy.ast.expr.MethodCallExpression
import org.codehaus.groovy.ast.stmt.Statement
import org.codehaus.groovy.control.CompilePhase
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files

import static org.assertj.core.api.Assertions.assertThat

/**
 * The reference Jenkinsfile, tested two honest ways since JenkinsPipelineUnit 1.1 cannot run Declarative: its
 * structure read from Groovy's AST (the stages in order, options, the input directive, post failure), and its
 * behaviour run through {@link DeclarativeModel} against the mocked steps (what runs, in which order, what does not).
 */
class JenkinsfileTest extends LibraryTestBase {
    DeclarativeModel declarative

    @BeforeEach
    void declarative() {
        declarative = new DeclarativeModel(env)
        declarative.register(helper)
        installPlugin()
    }

    private void runJenkinsfile() {
        runScript(ROOT.resolve('Jenkinsfile').toString())
    }

    /** Every method call in the Jenkinsfile with its first constant argument, in source order. */
    private static List<String> calls() {
        String text = Files.readString(ROOT.resolve('Jenkinsfile'))
        List<ASTNode> nodes = new AstBuilder().buildFromString(CompilePhase.CONVERSION, false, text)
        List<String> out = []
        CodeVisitorSupport visitor = new CodeVisitorSupport() {
            @Override
            void visitMethodCallExpression(MethodCallExpression call) {
                Object first = call.arguments instanceof ArgumentListExpression && call.arguments.expressions
                        ? call.arguments.expressions[0] : null
                out << (call.methodAsString + (first instanceof ConstantExpression ? "(${first.value})" : ''))
                super.visitMethodCallExpression(call)
            }
        }
        nodes.findAll { it instanceof Statement }.each { it.visit(visitor) }
        return out
    }

    @Test
    void itIsDeclarativeWithTheStagesOptionsApprovalAndFailureHandling() {
        List<String> c = calls()
        assertThat(c.findAll { it.startsWith('stage(') }).containsExactly('stage(Checkout)', 'stage(Validate data)',
                'stage(Train)', 'stage(Gate)', 'stage(Build image)', 'stage(Deploy staging)', 'stage(Approve)',
                'stage(Deploy production)')
        assertThat(c).contains('pipeline', 'options', 'disableConcurrentBuilds', 'input', 'submitter(release-managers)')
        assertThat(c.indexOf('timeout')).isLessThan(c.indexOf('stages'))
        int failure = c.indexOf('failure')
        assertThat(failure).isGreaterThan(c.indexOf('stage(Deploy production)'))
        assertThat(c.subList(failure, c.size())).contains('mlRollback', 'emailext')
        assertThat(c.indexOf('input')).isBetween(c.indexOf('stage(Approve)'), c.indexOf('stage(Deploy production)'))
    }

    private List<String> mlSteps() {
        return events.findAll { it.startsWith('plugin:') }.collect { e ->
            e.substring(7, e.indexOf('(')) + (e.contains('environment:staging') ? ':staging' : e.contains('environment:production') ? ':production' : '')
        }
    }

    @Test
    void aGoodRunGoesThroughEveryStageAndAsksBeforeProduction() {
        runJenkinsfile()
        assertThat(declarative.failure).isNull()
        assertThat(declarative.stagesRun).hasSize(8)
        assertThat(mlSteps()).containsExactly('mlValidateData', 'mlTrain', 'mlGate', 'mlRegister',
                'blueGreenDeploy:staging', 'blueGreenDeploy:production')
        assertThat(inputs).hasSize(1)
        assertThat(inputs[0]).containsEntry('submitter', 'release-managers')
        List<String> names = callNames()
        assertThat(names.indexOf('input')).isGreaterThan(names.indexOf('blueGreenDeploy'))
                .isLessThan(names.lastIndexOf('blueGreenDeploy'))
        assertThat(calls('disableConcurrentBuilds')).hasSize(1)
        assertThat(calls('timeout').first()).contains('time=2').contains('unit=HOURS')
        assertThat(events).contains('docker.build(registry.example/ml/breast-cancer:0123456789abcdef, .)')
        assertThat(calls('emailext')).isEmpty()
        assertThat(calls('junit')).hasSize(1)
    }

    @Test
    void aFailedGateStopsBeforeAnyDeployAndNotifiesWithoutRollingBack() {
        failGate()
        steps.answers['mlGate'] = { Map a -> throw new PipelineError('mlGate: gate failed: accuracy: accuracy 0.91 is below the minimum 0.93.') }
        runJenkinsfile()
        assertThat(declarative.failure).hasMessageContaining('mlGate: gate failed')
        assertThat(declarative.stagesRun.last()).isEqualTo('Gate')
        assertThat(mlSteps()).doesNotContain('blueGreenDeploy:staging', 'blueGreenDeploy:production', 'mlRollback')
        assertThat(calls('junit')).as('post always publishes the gate report').hasSize(1)
        assertThat(calls('emailext')).singleElement().asString().contains('mlops pipeline failed')
    }

    @Test
    void productionLeftOnTheFailedColorIsRolledBackInPostFailure() {
        cli['deploy:production'] = [1, release('production', 'green', 'FAILED', 'verify: probes failed') + [trafficOn: 'green']]
        runJenkinsfile()
        assertThat(declarative.failure).hasMessageContaining('FAILED: verify: probes failed; traffic is on green')
        assertThat(mlSteps().last()).isEqualTo('mlRollback:production')
        assertThat(events.last()).contains('to:previous')
        assertThat(calls('emailext')).hasSize(1)
    }

    @Test
    void aRefusedProductionReleaseIsNotRolledBack() {
        cli['deploy:production'] = [1, release('production', 'green', 'FAILED', 'smoke test failed') + [trafficOn: 'blue']]
        runJenkinsfile()
        assertThat(declarative.failure).hasMessageContaining('traffic is on blue')
        assertThat(mlSteps()).doesNotContain('mlRollback:production')
        assertThat(calls('emailext')).hasSize(1)
    }
}
