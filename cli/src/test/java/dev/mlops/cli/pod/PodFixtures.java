package dev.mlops.cli.pod;

import dev.mlops.cli.Main;
import dev.mlops.engine.deploy.SmokeSpec;
import dev.mlops.engine.model.ModelArtifact;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the pod tests share: a folder every user may enter (a pod runs as uid 10001), the bundled example trained
 * twice into a local model store by {@code mlops run} (versions 1 and 2 of breast-cancer-classifier), and the
 * server image laid out from the Dockerfile.
 */
final class PodFixtures implements AutoCloseable {
    static final String MODEL = "breast-cancer-classifier";
    static final String SERVER_IMAGE = "registry.example/mlops-serve:test";

    final Path root;
    final Path project;
    final Path spec;
    final Path store;
    final SmokeSpec smoke;
    final DockerImage server;

    PodFixtures() {
        try {
            root = Files.createTempDirectory("mlops-pods-");
            Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxr-xr-x"));
            project = root.resolve("proj");
            spec = copyExample(project);
            cli("run", "-f", spec.toString(), "-q");
            cli("run", "-f", spec.toString(), "-q", "--set", "model.seed=7");
            store = project.resolve("mlruns");
            smoke = SmokeSpec.fromCsv(project.resolve("data/smoke.csv"), null, null, null);
            server = DockerImage.build(SERVER_IMAGE, DockerImage.REPO.resolve("Dockerfile"), DockerImage.REPO,
                    Map.of("GIT_SHA", "test"), Map.of(), root.resolve("images/server"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Dockerfile.model on top of the server image, the context a folder holding only the model file. */
    DockerImage bakedImage(String name, String version, Path modelFile) throws IOException {
        Path context = Files.createDirectories(root.resolve("context-" + version));
        Files.copy(modelFile, context.resolve("model.tribuo"));
        return DockerImage.build("registry.example/mlops-serve-" + name + ":" + version,
                DockerImage.REPO.resolve("Dockerfile.model"), context,
                Map.of("SERVER_IMAGE", SERVER_IMAGE, "MODEL_NAME", name, "MODEL_VERSION", version,
                        "MODEL_SHA256", ModelArtifact.sha256(modelFile)),
                Map.of(SERVER_IMAGE, server), root.resolve("images/model-" + version));
    }

    /** Runs the CLI in-process; fails the test on a non-zero exit with what it printed. */
    static String cli(String... args) {
        return cliRun(args)[0];
    }

    /** {stdout, stderr} of a successful run. */
    static String[] cliRun(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        if (code != 0) {
            throw new AssertionError("mlops " + String.join(" ", args) + ": exit " + code + "\n" + out + "\n" + err);
        }
        return new String[]{out.toString(), err.toString()};
    }

    static Path copyExample(Path dir) throws IOException {
        Path src = DockerImage.REPO.resolve("examples/breast-cancer");
        Files.createDirectories(dir.resolve("data"));
        Files.copy(src.resolve("mlops.yaml"), dir.resolve("mlops.yaml"));
        try (Stream<Path> files = Files.list(src.resolve("data"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve("data").resolve(f.getFileName()));
            }
        }
        return dir.resolve("mlops.yaml");
    }

    /** The run's model file behind a registered version (what a registry download would give). */
    Path modelFile() {
        return project.resolve("out/model.tribuo");
    }

    /** Everyone may read the store, as a volume mounted into pods must allow. */
    static void readableByAll(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) throws IOException {
                Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
                return FileVisitResult.CONTINUE;
            }
        });
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<String> predictions(dev.mlops.engine.deploy.ServerClient.Reply r) {
        return r.predictions();
    }
}
