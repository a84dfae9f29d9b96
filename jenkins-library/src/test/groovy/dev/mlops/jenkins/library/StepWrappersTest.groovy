package dev.mlops.jenkins.library

import org.junit.jupiter.api.Test

import static org.assertj.core.api.Assertions.assertThat
import static org.assertj.core.api.Assertions.catchThrowable

/** The six wrappers: the plugin's step when it is installed, the mlops command line with sh when it is not. */
class StepWrappersTest extends LibraryTestBase {

    @Test
    void withThePluginTheWrapperCallsItsStepWithTheSameParameters() {
        installPlugin()
        Map r = pipeline('plugin', "return mlTrain(spec: 'x/mlops.yaml', set: ['model.seed': 7], mlflowCredentialsId: 'mlflow')")
        assertThat(events).containsExactly("plugin:mlTrain([spec:x/mlops.yaml, set:[model.seed=7], mlflowCredentialsId:mlflow])".toString())
        assertThat(r.runId).isEqualTo('abc123')
        assertThat(calls('echo')).containsExactly('mlTrain: ran the mlops plugin step')
        assertThat(calls('sh')).isEmpty()
    }

    @Test
    void withoutThePluginItRunsTheCommandLineWithShAndSaysSo() {
        env.MLOPS_CLI = './mlops'
        Map r = pipeline('cli', "return mlTrain(spec: 'x/mlops.yaml', set: ['model.seed=7'], mlflowCredentialsId: 'mlflow', track: false)")
        assertThat(calls('echo')).containsExactly('mlTrain: the mlops plugin is not installed; running the mlops command line with sh')
        assertThat(events[0]).isEqualTo("sh:'./mlops' 'train' '--json' '-f' 'x/mlops.yaml' '--set' 'model.seed=7' " +
                "'--no-track' > '/ws@tmp/mlops-mlTrain-result.json'")
        assertThat(calls('string')).containsExactly('{credentialsId=mlflow, variable=MLFLOW_TRACKING_TOKEN}')
        assertThat(r.runId).isEqualTo('abc123')
    }

    @Test
    void theCommandLineGetsTheKubeconfigAsAFileBindingAndUsernamePasswordWhenAsked() {
        pipeline('cli-deploy', "blueGreenDeploy(environment: 'staging', modelVersion: '3', kubeconfigCredentialsId: 'kube', " +
                "mlflowCredentialsId: 'up', mlflowCredentialsType: 'usernamePassword', image: 'r/app:1')")
        String sh = events.find { it.startsWith('sh:') }
        assertThat(sh).contains("'deploy' '--json' '-f' 'mlops.yaml'").contains("'--environment' 'staging'")
                .contains("'--model-version' '3'").contains("'--image' 'r/app:1'")
                .contains(' --kubeconfig "$MLOPS_KUBECONFIG" >').doesNotContain('mlflowCredentialsType')
        assertThat(calls('file')).containsExactly('{credentialsId=kube, variable=MLOPS_KUBECONFIG}')
        assertThat(calls('usernamePassword')).hasSize(1)
    }

    @Test
    void aFailedGateFailsWithItsReasonsOrMarksTheBuildUnstable() {
        failGate()
        Throwable t = catchThrowable { pipeline('gate-fail', 'mlGate()') }
        assertThat(t).isInstanceOf(PipelineError).hasMessage('mlGate: gate failed: accuracy: accuracy 0.91 is below the minimum 0.93.')
        Map r = pipeline('gate-unstable', "return mlGate(onViolation: 'unstable')")
        assertThat(r.passed).isFalse()
        assertJobStatusUnstable()
    }

    @Test
    void anInputErrorOfTheCommandLineIsOneLine() {
        cli['train'] = [2, [error: [message: "mlops.yaml: --set model.bogus=1: 'model.bogus' is not a known key", exitCode: 2, kind: 'input']]]
        Throwable t = catchThrowable { pipeline('cli-input', "mlTrain(set: ['model.bogus=1'])") }
        assertThat(t).hasMessage("mlTrain: mlops.yaml: --set model.bogus=1: 'model.bogus' is not a known key")
        cli['train'] = [3, [error: [message: 'tracking server http://mlflow:5000 unreachable', exitCode: 3, kind: 'infra']]]
        assertThat(catchThrowable { pipeline('cli-infra', 'mlTrain()') })
                .hasMessage('mlTrain: tracking server http://mlflow:5000 unreachable (infrastructure error; safe to retry)')
    }

    @Test
    void anUnknownParameterIsNamedBeforeAnythingRuns() {
        installPlugin()
        Throwable t = catchThrowable { pipeline('unknown', "mlTrain(sepc: 'mlops.yaml')") }
        assertThat(t.message).startsWith('mlTrain: unknown parameter sepc; known: spec, set, trackingUri')
        assertThat(events).isEmpty()
        assertThat(catchThrowable { pipeline('bad-env', "blueGreenDeploy(modelVersion: '1', environment: 'prod')") })
                .hasMessage("blueGreenDeploy: environment 'prod' must be one of [production, staging]")
        assertThat(catchThrowable { pipeline('no-version', 'blueGreenDeploy()') })
                .hasMessage('blueGreenDeploy: modelVersion is required (the registered version to deploy)')
    }

    @Test
    void aFailedReleaseFailsUnlessPropagateIsOff() {
        cli['deploy:production'] = [1, release('production', 'green', 'FAILED', 'smoke test: 0 of 20 rows agree') + [trafficOn: 'blue']]
        assertThat(catchThrowable { pipeline('deploy-fail', "blueGreenDeploy(modelVersion: '3')") }).hasMessage(
                'blueGreenDeploy: production deploy r-production (breast-cancer-classifier v3 on green) FAILED: ' +
                        'smoke test: 0 of 20 rows agree; traffic is on blue')
        Map r = pipeline('deploy-return', "return blueGreenDeploy(modelVersion: '3', propagate: false)")
        assertThat(r.exitCode).isEqualTo(1)
    }

    @Test
    void cliModeSkipsThePluginEvenWhenInstalled() {
        installPlugin()
        env.MLOPS_MODE = 'cli'
        pipeline('mode-cli', "mlRollback(to: '2')")
        assertThat(events.findAll { it.startsWith('plugin:') }).isEmpty()
        assertThat(events[0]).contains("'rollback' '--json' '-f' 'mlops.yaml' '--to' '2'")
        assertThat(calls('echo')).containsExactly('mlRollback: running the mlops command line with sh (MLOPS_MODE=cli)')
    }
}
