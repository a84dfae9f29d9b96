package dev.mlops.jenkins.testing;

import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Node;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.Step;
import org.jenkinsci.plugins.workflow.steps.StepExecution;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One agent and one build for a test: an agent root, a workspace holding a copy of the bundled example
 * (examples/breast-cancer), a recording log, a Launcher that runs local processes, and the build environment a
 * Pipeline gives a step (GIT_COMMIT, BUILD_URL, ...). Runs steps the way Pipeline does: start(), then wait for the
 * context to complete.
 */
public final class StepHarness {
    public final Path agentRoot;
    public final Path workspace;
    public final TestRun run = new TestRun();
    public final RecordingListener listener = new RecordingListener();
    public final EnvVars env = new EnvVars();
    /** The build's launcher; a test may swap in a {@link RecordingLauncher}. */
    public Launcher launcher;

    public StepHarness(Path tmp) throws IOException {
        this(tmp, tmp.resolve("agent"));
    }

    /** Several builds can share one agent root (the CLI is installed there once). */
    public StepHarness(Path tmp, Path agentRoot) throws IOException {
        this.agentRoot = agentRoot;
        this.workspace = tmp.resolve("workspace").resolve("p");
        Files.createDirectories(agentRoot);
        copy(repoRoot().resolve("examples").resolve("breast-cancer"), workspace);
        env.putAll(Map.of("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "HOME", System.getProperty("user.home"),
                "GIT_COMMIT", "0123456789abcdef0123456789abcdef01234567",
                "BUILD_URL", "http://jenkins.example/job/p/1/",
                "BUILD_USER_ID", "tester",
                "JOB_NAME", "p", "BUILD_NUMBER", "1"));
        // The child JVMs stay small: tests run several at once on two shared cores.
        env.put("MLOPS_JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1 -Xshare:auto");
        TestJenkins.reset();
        launcher = new Launcher.LocalLauncher(listener);
    }

    public static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isDirectory(p.resolve("examples").resolve("breast-cancer"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find examples/breast-cancer above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path src : all.toList()) {
                Path rel = from.relativize(src);
                if (rel.startsWith("out") || rel.startsWith("mlruns") || rel.startsWith(".mlops")) {
                    continue; // a user's earlier local runs are not part of the example
                }
                Path dst = to.resolve(rel.toString());
                if (Files.isDirectory(src)) {
                    Files.createDirectories(dst);
                } else {
                    Files.copy(src, dst, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    public TestStepContext context() {
        TestStepContext ctx = new TestStepContext(run);
        ctx.put(TaskListener.class, listener);
        ctx.put(FilePath.class, new FilePath(workspace.toFile()));
        ctx.put(Launcher.class, launcher);
        ctx.put(EnvVars.class, new EnvVars(env));
        ctx.put(Node.class, new TestNode(new FilePath(agentRoot.toFile())));
        return ctx;
    }

    /** A started step: its execution (to stop it) and its context (to wait for it). */
    public record Started(StepExecution execution, TestStepContext context) {
        public Object await() throws Exception {
            try {
                return context.outcome().get(10, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception ex) {
                    throw ex;
                }
                throw e;
            }
        }
    }

    public Started start(Step step) throws Exception {
        TestStepContext ctx = context();
        StepExecution execution = step.start(ctx);
        boolean done = execution.start();
        if (done) {
            throw new IllegalStateException("mlops steps run asynchronously");
        }
        return new Started(execution, ctx);
    }

    /** Runs a step to its end and returns what it returned (or throws what it failed with). */
    @SuppressWarnings("unchecked")
    public Map<String, Object> run(Step step) throws Exception {
        return (Map<String, Object>) start(step).await();
    }

    public String log() {
        return listener.log();
    }
}
