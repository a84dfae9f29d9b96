import dev.mlops.jenkins.lib.StepRouter

/**
 * mlTrain: Trains and evaluates a model. The mlops plugin's step when it is installed, else the mlops command line with sh
 * (see vars/mlTrain.txt).
 */
def call(Map args = [:]) {
    return StepRouter.run(this, 'mlTrain', args)
}
