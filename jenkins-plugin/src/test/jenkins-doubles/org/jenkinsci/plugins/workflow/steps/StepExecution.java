// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package org.jenkinsci.plugins.workflow.steps;

import java.io.Serializable;

public abstract class StepExecution implements Serializable {
    private final StepContext context;

    protected StepExecution(StepContext context) {
        this.context = context;
    }

    public StepContext getContext() {
        return context;
    }

    public abstract boolean start() throws Exception;

    public void stop(Throwable cause) throws Exception {
        getContext().onFailure(cause);
    }
}
