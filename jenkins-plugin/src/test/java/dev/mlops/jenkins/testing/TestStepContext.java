package dev.mlops.jenkins.testing;

import hudson.model.Result;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** Hands out the context objects a test put in, and records how the step completed. */
public final class TestStepContext extends StepContext {
    private static final long serialVersionUID = 1L;
    private final transient Map<Class<?>, Object> objects = new ConcurrentHashMap<>();
    private final transient CompletableFuture<Object> outcome = new CompletableFuture<>();
    private final transient TestRun run;

    public TestStepContext(TestRun run) {
        this.run = run;
        put(hudson.model.Run.class, run);
    }

    public <T> TestStepContext put(Class<T> key, T value) {
        objects.put(key, value);
        return this;
    }

    @Override
    public <T> T get(Class<T> key) {
        return key.cast(objects.get(key));
    }

    @Override
    public void onSuccess(Object result) {
        outcome.complete(result);
    }

    @Override
    public void onFailure(Throwable t) {
        outcome.completeExceptionally(t);
    }

    @Override
    public boolean isReady() {
        return outcome.isDone();
    }

    @Override
    public void setResult(Result r) {
        run.setResultWorse(r);
    }

    public CompletableFuture<Object> outcome() {
        return outcome;
    }

    @Override
    public boolean equals(Object o) {
        return this == o;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
