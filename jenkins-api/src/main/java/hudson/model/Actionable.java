package hudson.model;

import java.util.List;

public abstract class Actionable {
    public void addAction(Action a) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public <T extends Action> List<T> getActions(Class<T> type) {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public <T extends Action> T getAction(Class<T> type) {
        throw new UnsupportedOperationException("compile-only declaration");
    }
}
