// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package hudson.model;

/** Loads and saves nothing: a test's configuration lives in memory. */
public abstract class Descriptor<T extends Describable<T>> {
    protected Descriptor() {
    }

    protected Descriptor(Class<? extends T> clazz) {
    }

    public String getDisplayName() {
        return getClass().getSimpleName();
    }

    public synchronized void load() {
    }

    public synchronized void save() {
    }
}
