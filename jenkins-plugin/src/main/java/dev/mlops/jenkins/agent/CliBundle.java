package dev.mlops.jenkins.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

/**
 * The {@code mlops} command line the plugin ships: a zip of its jars (without fabric8, which the kubernetes-client-api
 * plugin provides, see {@link ProvidedLibraries}) carried as a resource of this plugin, plus the provided jars. Its
 * {@link #id()} names one exact set of bytes, so an agent installs each version once.
 */
public final class CliBundle {
    /** Where the build puts the zip and its properties (jenkins-plugin/pom.xml, assembly "cli"). */
    public static final String RESOURCE_DIR = "/dev/mlops/jenkins/cli/";
    private static volatile CliBundle shipped;

    private final String version;
    private final String id;
    private final ZipSource zip;
    private final List<Path> providedJars;

    /** Opens the zip's bytes (a classpath resource in the plugin, a file in tests of the installer). */
    @FunctionalInterface
    public interface ZipSource {
        InputStream open() throws IOException;
    }

    public CliBundle(String version, ZipSource zip, List<Path> providedJars) {
        this.version = version;
        this.zip = zip;
        this.providedJars = List.copyOf(providedJars);
        this.id = version + "-" + fingerprint(zip, this.providedJars);
    }

    /** The bundle this plugin was built with, its fabric8 taken from the kubernetes-client-api plugin. */
    public static CliBundle shipped() throws IOException {
        CliBundle b = shipped;
        if (b == null) {
            synchronized (CliBundle.class) {
                b = shipped;
                if (b == null) {
                    Properties p = new Properties();
                    try (InputStream in = resource("bundle.properties")) {
                        p.load(in);
                    }
                    ClassLoader loader = CliBundle.class.getClassLoader();
                    b = new CliBundle(p.getProperty("version"), () -> resource("mlops-cli.zip"),
                            ProvidedLibraries.fromPlugins(loader).jars());
                    shipped = b;
                }
            }
        }
        return b;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = CliBundle.class.getResourceAsStream(RESOURCE_DIR + name);
        if (in == null) {
            throw new IOException("this build of the mlops plugin lacks " + RESOURCE_DIR + name
                    + " (built without the command-line bundle)");
        }
        return in;
    }

    public String version() {
        return version;
    }

    /** Version plus a digest of the zip and the provided jars: a new build or a new fabric8 gives a new folder. */
    public String id() {
        return id;
    }

    public InputStream openZip() throws IOException {
        return zip.open();
    }

    public List<Path> providedJars() {
        return providedJars;
    }

    private static String fingerprint(ZipSource zip, List<Path> jars) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            try (InputStream in = zip.open()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            List<String> names = new ArrayList<>();
            for (Path j : jars) {
                // Name and size identify a released jar well enough; hashing ~30 MB of them per build would not pay.
                names.add(j.getFileName() + ":" + Files.size(j));
            }
            md.update(String.join("\n", names).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mlops command-line bundle: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
