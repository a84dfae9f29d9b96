package dev.mlops.engine.ci;

import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.spec.PipelineSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Generates a CI platform's files from a spec and writes them, never over a file the generator did not write (or
 * one edited since) unless forced: every such file is named, and nothing is written when one is in the way.
 */
public final class CiGenerator {
    public enum Platform {
        GITHUB_ACTIONS("github-actions", ".github/workflows"), GITLAB_CI("gitlab-ci", ".gitlab-ci.yml");

        private final String id;
        private final String defaultOut;

        Platform(String id, String defaultOut) {
            this.id = id;
            this.defaultOut = defaultOut;
        }

        public String id() {
            return id;
        }

        /** A folder for GitHub (one file per workflow), the pipeline file itself for GitLab. */
        public String defaultOut() {
            return defaultOut;
        }

        public static Platform of(String id) {
            for (Platform p : values()) {
                if (p.id.equals(id)) {
                    return p;
                }
            }
            throw new InputException("unknown CI platform '" + id + "': expected github-actions or gitlab-ci");
        }
    }

    /** The generator's options, as the front end gave them (null: the default). */
    public record Options(String cliSource, String mlopsVersion, String testCommand, String coverageReport,
                          String dockerfile, String jobImage) {
    }

    /** A file the generator wrote (or found already current). */
    public record Written(Path path, boolean changed) {
    }

    private CiGenerator() {
    }

    /** The files for {@code platform}, without writing them; {@code specPath} must lie inside {@code repoRoot}. */
    public static List<GeneratedFile> generate(Platform platform, PipelineSpec spec, Path repoRoot, Path specPath,
                                               Options options) {
        CiSettings settings = settings(platform, spec, repoRoot, specPath, options);
        return switch (platform) {
            case GITHUB_ACTIONS -> new GithubWorkflows(settings).files();
            case GITLAB_CI -> List.of(new GitlabPipeline(settings).file(".gitlab-ci.yml"));
        };
    }

    /**
     * Writes {@code files} under {@code out} (a folder; for a single file whose path equals its name, {@code out}
     * is that file). Refuses, writing nothing, when an existing target was not written by the generator or was
     * edited since, unless {@code force}.
     */
    public static List<Written> write(List<GeneratedFile> files, Path out, boolean single, boolean force, Log log) {
        List<Path> targets = new ArrayList<>();
        List<String> inTheWay = new ArrayList<>();
        for (GeneratedFile f : files) {
            Path target = single ? out : out.resolve(f.path());
            targets.add(target);
            if (Files.isDirectory(target)) {
                throw new InputException(target + ": is a folder; expected the file to generate");
            }
            if (Files.exists(target)) {
                switch (GeneratedFile.provenance(read(target))) {
                    case FOREIGN -> inTheWay.add(target + " (not written by mlops generate: no header)");
                    case EDITED -> inTheWay.add(target + " (edited by hand: its content no longer matches the hash in its header)");
                    case GENERATED -> { }
                }
            }
        }
        if (!inTheWay.isEmpty() && !force) {
            throw new InputException("refusing to overwrite " + (inTheWay.size() == 1 ? "a file" : inTheWay.size() + " files")
                    + " the generator did not write: " + String.join("; ", inTheWay)
                    + ". Move your changes into the spec, or pass --force to overwrite");
        }
        List<Written> written = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path target = targets.get(i);
            String content = files.get(i).content();
            boolean same = Files.exists(target) && read(target).equals(content);
            if (!same) {
                AtomicFiles.writeString(target, content);
            }
            log.progress("generate", i + 1, files.size(), target.getFileName().toString());
            written.add(new Written(target, !same));
        }
        return written;
    }

    static CiSettings settings(Platform platform, PipelineSpec spec, Path repoRoot, Path specPath, Options o) {
        Path root = repoRoot.toAbsolutePath().normalize();
        Path file = specPath.toAbsolutePath().normalize();
        if (!file.startsWith(root)) {
            throw new InputException(specPath + ": the spec must be inside the repository the pipeline runs in ("
                    + root + "); run mlops generate from the repository's root");
        }
        String rel = root.relativize(file).toString().replace('\\', '/');
        if (!rel.matches("[A-Za-z0-9._/-]+")) {
            throw new InputException(rel + ": a spec path the pipelines can name needs letters, digits, '.', '_', '-' and '/' only");
        }
        String image = image(spec);
        String source = o.cliSource() == null ? "release" : o.cliSource().toLowerCase(Locale.ROOT);
        String version = o.mlopsVersion();
        if (version == null || !version.matches("[0-9]+\\.[0-9]+\\.[0-9]+([.-][A-Za-z0-9.]+)?")) {
            throw new InputException("--mlops-version: expected a release version such as 0.1.0, got '" + version + "'");
        }
        version = version.replaceFirst("-SNAPSHOT$", "");
        CiSettings.CliSource cli = switch (source) {
            case "build" -> CiSettings.CliSource.fromBuild(version);
            case "release" -> CiSettings.CliSource.release(version);
            default -> throw new InputException("--cli: expected 'release' (the pinned mlops release) or 'build' (built "
                    + "from this repository), got '" + o.cliSource() + "'");
        };
        String dockerfile = o.dockerfile() == null ? "Dockerfile" : o.dockerfile();
        StringBuilder command = new StringBuilder("mlops generate ").append(platform.id()).append(" -f ").append(rel);
        if (cli.build()) {
            command.append(" --cli build");
        }
        if (o.testCommand() != null) {
            command.append(" --test-command '").append(o.testCommand()).append('\'');
        }
        if (o.coverageReport() != null) {
            command.append(" --coverage-report ").append(o.coverageReport());
        }
        if (o.dockerfile() != null) {
            command.append(" --dockerfile ").append(o.dockerfile());
        }
        if (o.jobImage() != null) {
            command.append(" --job-image ").append(o.jobImage());
        }
        return new CiSettings(rel, spec.deploy().app(), spec.deploy().target().equals("kubernetes"), image, cli,
                blankToNull(o.testCommand()), blankToNull(o.coverageReport()), dockerfile, blankToNull(o.jobImage()),
                command.toString());
    }

    /**
     * {@code deploy.image} without its tag: builds push {@code IMAGE:<sha>} there. Pipelines must know the registry
     * to log in to, so the first path segment must be a registry host.
     */
    private static String image(PipelineSpec spec) {
        String image = spec.deploy().image();
        String file = spec.file().toString();
        if (image == null || image.isBlank()) {
            throw new InputException(file + ": deploy.image is required to generate a pipeline: the build job pushes the "
                    + "model-server image there and the deploy jobs release it (e.g. deploy.image: ghcr.io/acme/model-server)");
        }
        String repo = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int slash = repo.indexOf('/');
        int colon = repo.lastIndexOf(':');
        if (colon > repo.lastIndexOf('/')) {
            throw new InputException(file + ": deploy.image '" + image + "' has a tag; pipelines tag it with each commit, "
                    + "so give the repository alone (e.g. " + repo.substring(0, colon) + ")");
        }
        String host = slash < 0 ? "" : repo.substring(0, slash);
        if (!(host.contains(".") || host.contains(":") || host.equals("localhost"))) {
            throw new InputException(file + ": deploy.image '" + image + "' names no registry: expected "
                    + "REGISTRY/REPOSITORY, e.g. ghcr.io/acme/" + repo.substring(slash + 1));
        }
        if (!repo.matches("[a-z0-9.:/_-]+")) {
            throw new InputException(file + ": deploy.image '" + image + "' is not a valid image repository "
                    + "(lower-case letters, digits, '.', '_', '-', '/' and a registry port)");
        }
        return repo;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}
