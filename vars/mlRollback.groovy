import dev.mlops.jenkins.lib.StepRouter

/**
 * mlRollback: Rolls back. The mlops plugin's step when it is installed, else the mlops command line with sh
 * (see vars/mlRollback.txt).
 */
def call(Map args = [:]) {
    return StepRouter.run(this, 'mlRollback', args)
}
