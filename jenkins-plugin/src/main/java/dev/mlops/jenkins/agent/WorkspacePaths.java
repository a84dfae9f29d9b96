package dev.mlops.jenkins.agent;

import hudson.remoting.VirtualChannel;
import jenkins.MasterToSlaveFileCallable;

import java.io.File;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks, on the agent, that every path a step was given stays inside the workspace (also through symbolic links) and
 * that the files it reads exist. Returns one line per problem, naming the parameter; an empty list means all is well.
 */
public final class WorkspacePaths extends MasterToSlaveFileCallable<ArrayList<String>> {
    private static final long serialVersionUID = 1L;

    /** One path parameter of a step: its name, the value given, and whether the step reads it (so it must exist). */
    public record Param(String name, String value, boolean mustExist) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    private final ArrayList<Param> params;

    public WorkspacePaths(List<Param> params) {
        this.params = new ArrayList<>(params);
    }

    @Override
    public ArrayList<String> invoke(File workspace, VirtualChannel channel) throws IOException {
        ArrayList<String> problems = new ArrayList<>();
        Path ws = workspace.toPath().toAbsolutePath().normalize();
        Path wsReal = Files.exists(ws) ? ws.toRealPath() : ws;
        for (Param p : params) {
            String problem = check(ws, wsReal, p);
            if (problem != null) {
                problems.add(problem);
            }
        }
        return problems;
    }

    static String check(Path ws, Path wsReal, Param p) throws IOException {
        String shown = p.name() + " '" + p.value() + "'";
        Path given;
        try {
            given = Path.of(p.value());
        } catch (java.nio.file.InvalidPathException e) {
            return shown + " is not a valid path: " + e.getReason();
        }
        if (given.isAbsolute()) {
            return shown + " must be relative to the workspace, not an absolute path";
        }
        Path resolved = ws.resolve(given).normalize();
        if (!resolved.startsWith(ws)) {
            return shown + " points outside the workspace " + ws;
        }
        Path existing = resolved;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !existing.toRealPath().startsWith(wsReal)) {
            return shown + " leads outside the workspace through a symbolic link";
        }
        if (p.mustExist() && !Files.isRegularFile(resolved)) {
            return shown + ": no such file in the workspace " + ws;
        }
        return null;
    }
}
