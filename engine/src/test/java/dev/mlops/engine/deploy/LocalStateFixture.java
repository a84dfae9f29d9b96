package dev.mlops.engine.deploy;

import java.nio.file.Path;

/** For tests in other modules: a local environment folder with a secret and colors recorded as our processes. */
public final class LocalStateFixture {
    private final LocalState state;

    public LocalStateFixture(Path dir) {
        this.state = new LocalState(dir);
        state.create();
    }

    /** Creates (or reads) the admin secret; returns its value. */
    public String secret() {
        return state.secret().reveal();
    }

    /** Records {@code color} as served on {@code port} by {@code process} (alive or not, as the test needs). */
    public void color(Color color, int port, ProcessHandle process) {
        state.write(color, new LocalState.Proc(process.pid(), ProcessIdentity.startOf(process.pid()), port, "r-" + color.id(),
                "local", "m", "1", "ref", "sha", 1, null, null));
    }
}
