package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.agent.AgentJava;
import dev.mlops.jenkins.agent.CliBundle;
import dev.mlops.jenkins.agent.CliInstaller;
import dev.mlops.jenkins.agent.CliProcess;
import dev.mlops.jenkins.agent.WorkspacePaths;
import dev.mlops.jenkins.secrets.ChildSecrets;
import dev.mlops.jenkins.secrets.SecretMasker;
import dev.mlops.jenkins.secrets.StepCredentials;
import hudson.AbortException;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import hudson.model.Node;
import hudson.model.Run;
import hudson.model.TaskListener;
import hudson.slaves.WorkspaceList;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one {@link CliCall} for a step, in this order, so bad input fails before anything is written: check the
 * workspace paths, resolve the credentials, install the command line on the agent (once per version), write a
 * kubeconfig outside the workspace for the length of the call, run the child, read its result.
 */
public final class StepRunner {
    private StepRunner() {
    }

    public static CliOutcome run(StepContext ctx, CliCall call) throws IOException, InterruptedException {
        Run<?, ?> run = ctx.get(Run.class);
        TaskListener listener = ctx.get(TaskListener.class);
        FilePath ws = ctx.get(FilePath.class);
        Launcher launcher = ctx.get(Launcher.class);
        EnvVars env = ctx.get(EnvVars.class);

        List<String> problems = ws.act(new WorkspacePaths(call.paths()));
        if (!problems.isEmpty()) {
            throw new AbortException(call.function() + ": " + String.join("; ", problems));
        }
        ChildSecrets secrets = StepCredentials.resolve(run, call.function(), call.mlflowCredentialsId(),
                call.kubeconfigCredentialsId());
        SecretMasker masker = secrets.masker();

        CliBundle bundle = CliBundle.shipped();
        FilePath home = CliInstaller.ensure(toolsRoot(ctx.get(Node.class), ws), bundle, listener);
        CliProcess cli = new CliProcess(home.act(new AgentJava()), home, launcher.isUnix());

        EnvVars childEnv = new EnvVars(env);
        childEnv.putAll(call.env());
        childEnv.putAll(secrets.env());
        FilePath kubeconfig = null;
        try {
            List<String> extra = new ArrayList<>();
            byte[] kube = secrets.kubeconfig();
            if (kube != null) {
                kubeconfig = writeKubeconfig(ws, kube);
                extra.add("--kubeconfig");
                extra.add(kubeconfig.getRemote());
                secrets.wipe();
            }
            return runOne(cli, launcher, ws, call, extra, childEnv, masker, listener);
        } finally {
            if (kubeconfig != null) {
                kubeconfig.delete();
            }
        }
    }

    private static CliOutcome runOne(CliProcess cli, Launcher launcher, FilePath ws, CliCall call, List<String> extra,
                                     EnvVars env, SecretMasker masker, TaskListener listener)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(call.args());
        args.addAll(extra);
        // Arguments are never secrets, but a user may have put a credential's value in one (set: [...]): mask the echo too.
        listener.getLogger().println("[mlops] " + masker.mask(CliProcess.display(call.command(), call.args())));
        try {
            CliProcess.Output out = cli.run(launcher, ws, call.command(), args, env, masker, listener);
            return CliOutcome.of(call.function(), call.command(), out, masker);
        } catch (InterruptedException e) {
            CliCall cleanup = call.onAbort();
            if (cleanup != null) {
                listener.getLogger().println("[mlops] " + call.function()
                        + " aborted: the child was stopped; putting traffic back on the stable color");
                CliOutcome undone = runOne(cli, launcher, ws, cleanup, extra, env, masker, listener);
                listener.getLogger().println("[mlops] " + (undone.exitCode() == CliOutcome.OK
                        ? "abort finished: traffic is on the stable color"
                        : "abort did not finish (exit " + undone.exitCode() + "); run 'mlops status' to see what serves"));
            }
            throw e;
        }
    }

    /** A kubeconfig lives in the workspace's {@code @tmp} sibling, readable by the agent's user only, for one call. */
    private static FilePath writeKubeconfig(FilePath ws, byte[] content) throws IOException, InterruptedException {
        FilePath tmp = WorkspaceList.tempDir(ws);
        if (tmp == null) {
            throw new IOException("no temporary folder beside the workspace " + ws.getRemote());
        }
        tmp.mkdirs();
        FilePath file = tmp.createTempFile("mlops-kubeconfig", ".yaml");
        file.chmod(0600);
        file.copyFrom(new ByteArrayInputStream(content));
        return file;
    }

    /** The agent's own tools folder, where installations outlive workspaces; beside the workspace if there is no node. */
    static FilePath toolsRoot(Node node, FilePath ws) {
        FilePath root = node == null ? null : node.getRootPath();
        if (root == null) {
            root = WorkspaceList.tempDir(ws);
        }
        return root.child("tools").child("mlops-cli");
    }
}
