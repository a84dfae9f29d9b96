import dev.mlops.jenkins.lib.StepRouter

/**
 * blueGreenDeploy: Deploys a model version blue-green. The mlops plugin's step when it is installed, else the mlops command line with sh
 * (see vars/blueGreenDeploy.txt).
 */
def call(Map args = [:]) {
    return StepRouter.run(this, 'blueGreenDeploy', args)
}
