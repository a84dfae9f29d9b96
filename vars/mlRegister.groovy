import dev.mlops.jenkins.lib.StepRouter

/**
 * mlRegister: Registers the trained run's model as a new version with an alias. The mlops plugin's step when it is installed, else the mlops command line with sh
 * (see vars/mlRegister.txt).
 */
def call(Map args = [:]) {
    return StepRouter.run(this, 'mlRegister', args)
}
