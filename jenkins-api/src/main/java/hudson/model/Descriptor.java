package hudson.model;

public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    protected Descriptor(Class<? extends T> clazz) {
    }

    public String getDisplayName() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public synchronized void load() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public synchronized void save() {
        throw new UnsupportedOperationException("compile-only declaration");
    }
}
