package hudson;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

public abstract class Launcher {
    protected Launcher(TaskListener listener, VirtualChannel channel) {
    }

    public VirtualChannel getChannel() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public TaskListener getListener() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public boolean isUnix() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public final ProcStarter launch() {
        throw new UnsupportedOperationException("compile-only declaration");
    }

    public abstract Proc launch(ProcStarter starter) throws IOException;

    public final class ProcStarter {
        public ProcStarter cmds(List<String> args) {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public List<String> cmds() {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public ProcStarter envs(Map<String, String> overrides) {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public String[] envs() {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public ProcStarter pwd(FilePath workDir) {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public FilePath pwd() {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public ProcStarter stdout(OutputStream out) {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public OutputStream stdout() {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public ProcStarter stderr(OutputStream err) {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public OutputStream stderr() {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public ProcStarter quiet(boolean quiet) {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public boolean quiet() {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public Proc start() throws IOException {
            throw new UnsupportedOperationException("compile-only declaration");
        }

        public int join() throws IOException, InterruptedException {
            throw new UnsupportedOperationException("compile-only declaration");
        }
    }
}
