package dev.mlops.jenkins.steps;

import org.jenkinsci.plugins.workflow.steps.StepContext;
import org.jenkinsci.plugins.workflow.steps.SynchronousNonBlockingStepExecution;

import java.util.Map;

/**
 * The execution every mlops step shares: the work runs off the CPS thread and returns the result map. Aborting the
 * build interrupts the work instead of completing the step at once, so the child is stopped (and an aborted deploy is
 * put back on the stable color) before the step fails with the abort's cause. Holds no state that must survive a
 * restart: like every synchronous non-blocking step, it fails on controller restart and re-reads its context.
 */
final class MlopsExecution extends SynchronousNonBlockingStepExecution<Map<String, Object>> {
    private static final long serialVersionUID = 1L;

    /** As in pipeline-utility-steps: the step is transient, its execution cannot resume after a restart anyway. */
    private final transient MlopsStep step;
    private transient volatile Thread worker;
    private transient volatile Throwable stopCause;

    MlopsExecution(MlopsStep step, StepContext context) {
        super(context);
        this.step = step;
    }

    @Override
    protected final Map<String, Object> run() throws Exception {
        worker = Thread.currentThread();
        try {
            return step.run(getContext());
        } catch (Exception e) {
            // After stop() the interrupt may surface as InterruptedException or wrapped in an I/O error: either way
            // the step ends with the abort's own cause, so the build shows ABORTED, not a stack trace.
            Throwable cause = stopCause;
            if (cause instanceof Exception ex) {
                throw ex;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        } finally {
            worker = null;
        }
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        Thread t = worker;
        if (t == null) {
            super.stop(cause);
            return;
        }
        stopCause = cause;
        t.interrupt();
    }
}
