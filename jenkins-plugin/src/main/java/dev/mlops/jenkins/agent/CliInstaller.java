package dev.mlops.jenkins.agent;

import hudson.FilePath;
import hudson.model.TaskListener;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the {@code mlops} command line on an agent once per bundle: {@code <tools>/<bundle id>/lib/*.jar}, written to a
 * temporary folder and renamed into place, so a build never sees half a copy and two builds racing both end up with
 * the same complete one.
 */
public final class CliInstaller {
    static final String COMPLETE = ".installed";

    private CliInstaller() {
    }

    /** Returns the bundle's home on the agent, installing it first if this agent does not have it yet. */
    public static FilePath ensure(FilePath toolsRoot, CliBundle bundle, TaskListener listener)
            throws IOException, InterruptedException {
        FilePath home = toolsRoot.child(bundle.id());
        if (home.child(COMPLETE).exists()) {
            return home;
        }
        toolsRoot.mkdirs();
        listener.getLogger().println("[mlops] installing the mlops command line " + bundle.version()
                + " on this agent (once per version): " + home.getRemote());
        FilePath partial = toolsRoot.createTempDir(bundle.id() + "-", ".partial");
        try {
            try (InputStream zip = bundle.openZip()) {
                partial.unzipFrom(zip);
            }
            FilePath lib = partial.child("lib");
            for (Path jar : bundle.providedJars()) {
                try (InputStream in = Files.newInputStream(jar)) {
                    lib.child(jar.getFileName().toString()).copyFrom(in);
                }
            }
            partial.child(COMPLETE).write(bundle.id() + "\n", "UTF-8");
            try {
                partial.renameTo(home);
            } catch (IOException e) {
                if (!home.child(COMPLETE).exists()) {
                    throw e;
                }
                // Another build on this agent installed the same bundle first: use theirs.
            }
        } finally {
            if (partial.exists()) {
                partial.deleteRecursive();
            }
        }
        return home;
    }
}
