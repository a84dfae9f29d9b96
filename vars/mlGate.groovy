import dev.mlops.jenkins.lib.StepRouter

/**
 * mlGate: Gates the candidate. The mlops plugin's step when it is installed, else the mlops command line with sh
 * (see vars/mlGate.txt).
 */
def call(Map args = [:]) {
    return StepRouter.run(this, 'mlGate', args)
}
