package dev.mlops.jenkins.steps;

import dev.mlops.jenkins.agent.WorkspacePaths;
import hudson.AbortException;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code mlops} command a step runs: the subcommand, its arguments (never a secret), the workspace paths to check
 * first, the credentials ids to resolve, and for a deploy the command that puts traffic back if the build is aborted.
 */
public final class CliCall {
    private static final Pattern SET_ENTRY = Pattern.compile("[A-Za-z][A-Za-z0-9_.\\-]*=.*", Pattern.DOTALL);

    private final String function;
    private final String command;
    private final List<String> args = new ArrayList<>();
    private final List<WorkspacePaths.Param> paths = new ArrayList<>();
    private String mlflowCredentialsId;
    private String kubeconfigCredentialsId;
    private final java.util.Map<String, String> env = new java.util.LinkedHashMap<>();
    private CliCall onAbort;

    public CliCall(String function, String command) {
        this.function = function;
        this.command = command;
    }

    public String function() {
        return function;
    }

    public String command() {
        return command;
    }

    public List<String> args() {
        return List.copyOf(args);
    }

    public List<WorkspacePaths.Param> paths() {
        return List.copyOf(paths);
    }

    public String mlflowCredentialsId() {
        return mlflowCredentialsId;
    }

    public String kubeconfigCredentialsId() {
        return kubeconfigCredentialsId;
    }

    /** Environment variables (not secrets) the call adds to the build's. */
    public java.util.Map<String, String> env() {
        return java.util.Map.copyOf(env);
    }

    public CliCall env(String name, String value) {
        env.put(name, value);
        return this;
    }

    public CliCall onAbort() {
        return onAbort;
    }

    /** {@code -f spec}, after checking that the spec is a file inside the workspace. */
    public CliCall spec(String spec) {
        paths.add(new WorkspacePaths.Param("spec", spec, true));
        return option("-f", spec);
    }

    /** A file the command reads ({@code mustExist}) or writes; checked to be inside the workspace. */
    public CliCall path(String param, String option, String value, boolean mustExist) {
        if (value != null) {
            paths.add(new WorkspacePaths.Param(param, value, mustExist));
            option(option, value);
        }
        return this;
    }

    public CliCall option(String option, String value) {
        if (value != null) {
            args.add(option);
            args.add(value);
        }
        return this;
    }

    public CliCall flag(String option, boolean on) {
        if (on) {
            args.add(option);
        }
        return this;
    }

    /** {@code --set key=value} for each entry, as {@code mlops --set} takes them. */
    public CliCall set(List<String> entries) throws AbortException {
        for (String e : entries) {
            if (e == null || !SET_ENTRY.matcher(e).matches()) {
                throw new AbortException(function + ": set entry '" + e + "' is not key.path=value (e.g. 'model.seed=7')");
            }
            option("--set", e);
        }
        return this;
    }

    public CliCall credentials(String mlflow, String kubeconfig) {
        this.mlflowCredentialsId = mlflow;
        this.kubeconfigCredentialsId = kubeconfig;
        return this;
    }

    public CliCall onAbort(CliCall cleanup) {
        this.onAbort = cleanup;
        return this;
    }
}
