package dev.mlops.jenkins.agent;

import dev.mlops.jenkins.testing.RecordingListener;
import hudson.FilePath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line reaches an agent once per bundle, whole, even when two builds install it at the same time. */
class CliInstallerTest {
    @TempDir
    Path tmp;

    static CliBundle shippedZipWith(List<Path> provided) {
        return new CliBundle("test", () -> resource(), provided);
    }

    static InputStream resource() {
        InputStream in = CliBundle.class.getResourceAsStream(CliBundle.RESOURCE_DIR + "mlops-cli.zip");
        if (in == null) {
            throw new IllegalStateException("the build did not put mlops-cli.zip on the class path");
        }
        return in;
    }

    @Test
    void installsOncePerBundleAndReusesIt() throws Exception {
        CliBundle bundle = shippedZipWith(List.of());
        RecordingListener log = new RecordingListener();
        FilePath tools = new FilePath(tmp.resolve("tools").toFile());
        FilePath home = CliInstaller.ensure(tools, bundle, log);
        assertThat(home.getRemote()).endsWith(bundle.id());
        Path lib = Path.of(home.getRemote(), "lib");
        try (Stream<Path> jars = Files.list(lib)) {
            assertThat(jars.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("mlops-cli-")).anyMatch(n -> n.startsWith("mlops-engine-"))
                    .noneMatch(n -> n.startsWith("kubernetes-") || n.startsWith("vertx-"));
        }
        long stamp = Files.getLastModifiedTime(Path.of(home.getRemote(), CliInstaller.COMPLETE)).toMillis();
        assertThat(log.log()).containsOnlyOnce("[mlops] installing the mlops command line test");

        FilePath again = CliInstaller.ensure(tools, bundle, log);
        assertThat(again.getRemote()).isEqualTo(home.getRemote());
        assertThat(log.log()).containsOnlyOnce("[mlops] installing");
        assertThat(Files.getLastModifiedTime(Path.of(home.getRemote(), CliInstaller.COMPLETE)).toMillis()).isEqualTo(stamp);
    }

    @Test
    void aNewBundleGetsItsOwnFolder() throws Exception {
        Path extra = Files.writeString(tmp.resolve("okhttp-0.jar"), "not really a jar");
        CliBundle a = shippedZipWith(List.of());
        CliBundle b = shippedZipWith(List.of(extra));
        assertThat(a.id()).isNotEqualTo(b.id()).startsWith("test-");
        FilePath home = CliInstaller.ensure(new FilePath(tmp.resolve("t").toFile()), b, new RecordingListener());
        assertThat(Path.of(home.getRemote(), "lib", "okhttp-0.jar")).hasContent("not really a jar");
    }

    @Test
    void twoBuildsInstallingAtOnceBothGetOneCompleteCopy() throws Exception {
        CliBundle bundle = shippedZipWith(List.of());
        FilePath tools = new FilePath(tmp.resolve("race").toFile());
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<String> install = () -> CliInstaller.ensure(tools, bundle, new RecordingListener()).getRemote();
            List<Future<String>> both = pool.invokeAll(List.of(install, install));
            assertThat(both.get(0).get()).isEqualTo(both.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> left = Files.list(tmp.resolve("race"))) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly(bundle.id());
        }
    }
}
