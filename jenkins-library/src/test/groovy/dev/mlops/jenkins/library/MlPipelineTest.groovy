package dev.mlops.jenkins.library

import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat
import static org.assertj.core.api.Assertions.catchThrowable

/** mlPipeline end to end against the mocked steps: order, approval, no deploy after a failed gate, rollback, notification. */
class MlPipelineTest extends LibraryTestBase {
    static final String CALL = """return mlPipeline(spec: 'examples/breast-cancer/mlops.yaml',
            image: [name: 'registry.example/ml/cancer', registry: 'https://registry.example', credentialsId: 'registry'],
            approval: [submitters: 'release-managers', timeoutMinutes: 30],
            production: [kubeconfigCredentialsId: 'prod-kube'],
            notify: [to: 'ml@example.com'])"""

    private List<String> order() {
        return events.collect { e ->
            e.startsWith('plugin:') ? e.substring(7, e.indexOf('(')) + (e.contains('environment:staging') ? ':staging'
                    : e.contains('environment:production') ? ':production' : '') : e.replaceAll(/\(.*/, '')
        }
    }

    @Test
    void runsEveryStageInOrderWithTheApprovalOutsideANodeBeforeProduction() {
        installPlugin()
        Map state = pipeline('happy', CALL)
        assertThat(order()).containsExactly('mlValidateData', 'mlTrain', 'mlGate', 'mlRegister', 'docker.withRegistry',
                'docker.build', 'docker.push', 'blueGreenDeploy:staging', 'blueGreenDeploy:production')
        assertThat(events).contains('docker.build(registry.example/ml/cancer:0123456789abcdef, .)')
        assertThat(events.find { it.contains('environment:production') })
                .contains('modelVersion:3').contains('image:registry.example/ml/cancer:0123456789abcdef')
                .contains('kubeconfigCredentialsId:prod-kube').contains('propagate:false')
        assertThat(inputs).hasSize(1)
        assertThat(inputs[0]).containsEntry('submitter', 'release-managers').containsEntry('inNode', false)
        List<String> names = callNames()
        assertThat(names.indexOf('input')).isGreaterThan(names.indexOf('timeout'))
        assertThat(calls('timeout')).anyMatch { it.contains('time=30') && it.contains('unit=MINUTES') }
        assertThat(calls('junit')).containsExactly('{testResults=out/reports/gate.junit.xml, allowEmptyResults=true}')
        assertThat(calls('mlRollback')).isEmpty()
        assertThat(calls('mail')).isEmpty()
        assertThat(state.approver).isEqualTo('approver-1')
        assertThat(helper.callStack.collect { it.methodName }.findAll { it == 'stage' }).hasSize(8)
        assertThat(calls('stage').collect { it.replaceAll(/, groovy.lang.Closure.*/, '') }).containsExactly(
                'Checkout', 'Validate data', 'Train', 'Gate', 'Build image', 'Deploy staging', 'Approve', 'Deploy production')
    }

    @Test
    void aFailedGateDeploysNothingButPublishesItsJunitAndNotifies() {
        installPlugin()
        failGate()
        Throwable t = catchThrowable { pipeline('gate-fails', CALL) }
        assertThat(t).hasMessage('mlGate: gate failed: accuracy: accuracy 0.91 is below the minimum 0.93.')
        assertThat(order()).doesNotContain('blueGreenDeploy:staging', 'blueGreenDeploy:production', 'docker.build', 'mlRegister')
        assertThat(calls('junit')).hasSize(1)
        assertThat(inputs).isEmpty()
        assertThat(calls('mail')).singleElement().asString().contains('to=ml@example.com').contains('gate failed')
    }

    @Test
    void aProductionReleaseLeftOnItsFailedColorIsRolledBack() {
        installPlugin()
        cli['deploy:production'] = [1, release('production', 'green', 'FAILED', 'verify: 3 of 10 probes failed') + [trafficOn: 'green']]
        Throwable t = catchThrowable { pipeline('prod-stuck', CALL) }
        assertThat(t.message).startsWith('blueGreenDeploy: production deploy').contains('traffic is on green')
        assertThat(order()).endsWith('blueGreenDeploy:production', 'mlRollback:production')
        assertThat(events.last()).contains('environment:production').contains('to:previous').contains('kubeconfigCredentialsId:prod-kube')
        assertThat(calls('mail')).hasSize(1)
        assertJobStatusFailure()
    }

    @Test
    void aRefusedProductionReleaseIsNotRolledBackBecauseTrafficNeverLeftTheHealthyColor() {
        installPlugin()
        cli['deploy:production'] = [1, release('production', 'green', 'FAILED', 'smoke test failed') + [trafficOn: 'blue']]
        Throwable t = catchThrowable { pipeline('prod-refused', CALL) }
        assertThat(t.message).contains('traffic is on blue')
        assertThat(order()).doesNotContain('mlRollback:production')
    }

    @Test
    void failingChecksAfterAGoodReleaseRollItBack() {
        installPlugin()
        Throwable t = catchThrowable {
            pipeline('verify-fails', "mlPipeline(production: [verify: { rel -> error('e2e tests failed on ' + rel.release.color) }])")
        }
        assertThat(t).hasMessage('e2e tests failed on green')
        assertThat(order().last()).isEqualTo('mlRollback:production')
    }

    @Test
    void theWholePipelineRunsOnTheCommandLineWithoutThePlugin() {
        env.MLOPS_CLI = './mlops'
        pipeline('all-cli', "mlPipeline(spec: 'examples/breast-cancer/mlops.yaml')")
        List<String> commands = events.findAll { it.startsWith('sh:') }.collect { it.split("' '")[1] }
        assertThat(commands).containsExactly('validate-data', 'train', 'gate', 'register', 'deploy', 'deploy')
        assertThat(calls('echo').findAll { it.contains('not installed') }).hasSize(6)
    }

    @Test
    void anUnknownSettingIsNamed() {
        Throwable t = catchThrowable { pipeline('bad-setting', "mlPipeline(aproval: [timeoutMinutes: 5])") }
        assertThat(t.message).startsWith("mlPipeline: unknown setting 'aproval'; known: agent, approval, gate, image")
        assertThat(catchThrowable { pipeline('bad-timeout', "mlPipeline(approval: [timeoutMinutes: 0])") })
                .hasMessage("mlPipeline: 'approval.timeoutMinutes' must be a positive whole number, got 0")
    }
}
