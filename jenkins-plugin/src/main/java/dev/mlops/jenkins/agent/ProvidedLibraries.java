package dev.mlops.jenkins.agent;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The jars the {@code mlops} child JVM takes from other Jenkins plugins instead of shipping its own copy: fabric8
 * 7.3.1 from kubernetes-client-api (with its OkHttp client) and OkHttp/Okio/Kotlin from okhttp-api. Each plugin is found
 * through one class it provides: that class's jar sits in the plugin's {@code WEB-INF/lib} with its siblings.
 */
public final class ProvidedLibraries {
    /** One class per providing plugin. */
    static final List<String> MARKERS = List.of(
            "io.fabric8.kubernetes.client.KubernetesClient",   // kubernetes-client-api
            "okhttp3.OkHttpClient");                            // okhttp-api
    /** What the child needs from those folders; anything else there (Jackson, the plugins' own jars) is ours or unused. */
    static final Pattern WANTED = Pattern.compile(
            "(kubernetes-|openshift-|zjsonpatch|snakeyaml-engine|okhttp|okio|kotlin-stdlib).*\\.jar");

    private final List<Path> jars;

    private ProvidedLibraries(List<Path> jars) {
        this.jars = List.copyOf(jars);
    }

    /** Finds the marker classes through {@code loader} (the plugin's class loader, which sees its dependencies). */
    public static ProvidedLibraries fromPlugins(ClassLoader loader) throws IOException {
        TreeSet<Path> found = new TreeSet<>();
        for (String marker : MARKERS) {
            Path dir = folderOf(marker, loader);
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(f -> WANTED.matcher(f.getFileName().toString()).matches()).forEach(found::add);
            }
        }
        return new ProvidedLibraries(new ArrayList<>(found));
    }

    private static Path folderOf(String className, ClassLoader loader) throws IOException {
        Class<?> c;
        try {
            c = Class.forName(className, false, loader);
        } catch (ClassNotFoundException e) {
            throw new IOException("the mlops plugin needs " + className + " from a plugin it depends on "
                    + "(kubernetes-client-api, okhttp-api); is that plugin installed and enabled?", e);
        }
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        if (cs == null || cs.getLocation() == null) {
            throw new IOException("cannot tell which jar holds " + className);
        }
        try {
            Path jar = Path.of(cs.getLocation().toURI());
            if (!Files.isRegularFile(jar) || jar.getParent() == null) {
                throw new IOException(className + " is not loaded from a jar file but from " + jar);
            }
            return jar.getParent();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new IOException("cannot locate the jar of " + className + ": " + cs.getLocation(), e);
        }
    }

    public List<Path> jars() {
        return jars;
    }
}
