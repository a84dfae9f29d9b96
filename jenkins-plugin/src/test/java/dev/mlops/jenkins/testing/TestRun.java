package dev.mlops.jenkins.testing;

import hudson.model.Action;
import hudson.model.Result;
import hudson.model.Run;
import jenkins.model.RunAction2;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A build that keeps its actions (calling onAttached, as Run.addAction does) and its result. */
public final class TestRun extends Run<TestJob, TestRun> {
    private final List<Action> actions = new CopyOnWriteArrayList<>();
    private volatile Result result;

    public TestRun() {
        super(new TestJob(), System.currentTimeMillis());
    }

    @Override
    public void addAction(Action a) {
        actions.add(a);
        if (a instanceof RunAction2 r2) {
            r2.onAttached(this);
        }
    }

    @Override
    public <T extends Action> List<T> getActions(Class<T> type) {
        return actions.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public <T extends Action> T getAction(Class<T> type) {
        return getActions(type).stream().findFirst().orElse(null);
    }

    public List<Action> actions() {
        return List.copyOf(actions);
    }

    @Override
    public Result getResult() {
        return result;
    }

    void setResultWorse(Result r) {
        if (result == null || r.isWorseThan(result)) {
            result = r;
        }
    }

    @Override
    public int getNumber() {
        return 1;
    }

    @Override
    public String getUrl() {
        return "job/p/1/";
    }
}
