import dev.mlops.jenkins.lib.StepRouter

/**
 * mlValidateData: Checks the training data. The mlops plugin's step when it is installed, else the mlops command line with sh
 * (see vars/mlValidateData.txt).
 */
def call(Map args = [:]) {
    return StepRouter.run(this, 'mlValidateData', args)
}
