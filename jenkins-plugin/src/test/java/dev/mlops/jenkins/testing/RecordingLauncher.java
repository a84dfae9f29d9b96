package dev.mlops.jenkins.testing;

import hudson.Launcher;
import hudson.Proc;
import hudson.model.TaskListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Runs local processes and remembers each command line and environment it started (and lets a test look at launch). */
public final class RecordingLauncher extends Launcher.LocalLauncher {
    public final List<List<String>> commands = new ArrayList<>();
    public final List<List<String>> environments = new ArrayList<>();
    private final Consumer<ProcStarter> atLaunch;

    public RecordingLauncher(TaskListener listener, Consumer<ProcStarter> atLaunch) {
        super(listener);
        this.atLaunch = atLaunch;
    }

    @Override
    public Proc launch(ProcStarter ps) throws IOException {
        synchronized (this) {
            commands.add(List.copyOf(ps.cmds()));
            environments.add(List.of(ps.envs()));
        }
        atLaunch.accept(ps);
        return super.launch(ps);
    }
}
