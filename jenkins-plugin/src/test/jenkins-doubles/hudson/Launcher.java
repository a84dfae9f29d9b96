// TEST DOUBLE (test scope only): the same declarations as the real Jenkins type (checked by jenkins-api-check),
// with working local bodies so the plugin's code runs in unit tests. Never on a user's class path.

package hudson;

import hudson.model.TaskListener;
import hudson.remoting.VirtualChannel;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Launcher with a working ProcStarter and a LocalLauncher that runs local processes (killing their whole tree). */
public abstract class Launcher {
    private final TaskListener listener;
    private final VirtualChannel channel;

    protected Launcher(TaskListener listener, VirtualChannel channel) {
        this.listener = listener;
        this.channel = channel;
    }

    public VirtualChannel getChannel() {
        return channel;
    }

    public TaskListener getListener() {
        return listener;
    }

    public boolean isUnix() {
        return File.pathSeparatorChar == ':';
    }

    public final ProcStarter launch() {
        return new ProcStarter();
    }

    public abstract Proc launch(ProcStarter starter) throws IOException;

    public final class ProcStarter {
        private List<String> commands = new ArrayList<>();
        private String[] envs = new String[0];
        private FilePath pwd;
        private OutputStream stdout;
        private OutputStream stderr;
        private boolean quiet;

        public ProcStarter cmds(List<String> args) {
            commands = new ArrayList<>(args);
            return this;
        }

        public List<String> cmds() {
            return commands;
        }

        public ProcStarter envs(Map<String, String> overrides) {
            envs = overrides.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toArray(String[]::new);
            return this;
        }

        public String[] envs() {
            return envs.clone();
        }

        public ProcStarter pwd(FilePath workDir) {
            pwd = workDir;
            return this;
        }

        public FilePath pwd() {
            return pwd;
        }

        public ProcStarter stdout(OutputStream out) {
            stdout = out;
            return this;
        }

        public OutputStream stdout() {
            return stdout;
        }

        public ProcStarter stderr(OutputStream err) {
            stderr = err;
            return this;
        }

        public OutputStream stderr() {
            return stderr;
        }

        public ProcStarter quiet(boolean quiet) {
            this.quiet = quiet;
            return this;
        }

        public boolean quiet() {
            return quiet;
        }

        public Proc start() throws IOException {
            if (!quiet) {
                listener.getLogger().println("$ " + String.join(" ", commands));
            }
            return launch(this);
        }

        public int join() throws IOException, InterruptedException {
            return start().join();
        }
    }

    public static class LocalLauncher extends Launcher {
        public LocalLauncher(TaskListener listener) {
            super(listener, null);
        }

        @Override
        public Proc launch(ProcStarter ps) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(ps.cmds());
            for (String kv : ps.envs()) {
                int eq = kv.indexOf('=');
                pb.environment().put(kv.substring(0, eq), kv.substring(eq + 1));
            }
            if (ps.pwd() != null) {
                pb.directory(new File(ps.pwd().getRemote()));
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            Process p = pb.start();
            Thread out = pump(p.getInputStream(), ps.stdout());
            Thread err = pump(p.getErrorStream(), ps.stderr() != null ? ps.stderr() : ps.stdout());
            return new Proc() {
                @Override
                public boolean isAlive() {
                    return p.isAlive();
                }

                @Override
                public void kill() throws InterruptedException {
                    p.descendants().forEach(ProcessHandle::destroy);
                    p.destroy();
                    p.waitFor();
                }

                @Override
                public int join() throws InterruptedException {
                    try {
                        int rc = p.waitFor();
                        out.join();
                        err.join();
                        return rc;
                    } catch (InterruptedException e) {
                        kill(); // as LocalProc.join does
                        throw e;
                    }
                }

                @Override
                public InputStream getStdout() {
                    return null;
                }

                @Override
                public InputStream getStderr() {
                    return null;
                }

                @Override
                public OutputStream getStdin() {
                    return null;
                }
            };
        }

        private static Thread pump(InputStream in, OutputStream out) {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[8192];
                try {
                    for (int n; (n = in.read(buf)) > 0; ) {
                        if (out != null) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    }
                } catch (IOException ignored) {
                    // the process went away
                }
            }, "pump");
            t.setDaemon(true);
            t.start();
            return t;
        }
    }
}
