// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package org.jenkinsci.plugins.workflow.steps;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** As the real one: run() on a pool thread; stop() cancels (interrupts) the task and fails the step with the cause. */
public abstract class SynchronousNonBlockingStepExecution<T> extends StepExecution {
    private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "SynchronousNonBlockingStepExecution");
        t.setDaemon(true);
        return t;
    });
    private transient volatile Future<?> task;

    protected SynchronousNonBlockingStepExecution(StepContext context) {
        super(context);
    }

    protected abstract T run() throws Exception;

    @Override
    public final boolean start() throws Exception {
        task = POOL.submit(() -> {
            try {
                getContext().onSuccess(run());
            } catch (Throwable t) {
                getContext().onFailure(t);
            }
        });
        return false;
    }

    @Override
    public void stop(Throwable cause) throws Exception {
        Future<?> t = task;
        if (t != null) {
            t.cancel(true);
        }
        super.stop(cause);
    }
}
