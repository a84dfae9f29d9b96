package dev.mlops.cli.pod;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.engine.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * An image as the tests can have it without an image builder: the final stage of a Dockerfile read instruction by
 * instruction (ARG, FROM, ENV, LABEL, USER, WORKDIR, COPY, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD; RUN steps are listed
 * but not executed), and its file system laid out in a folder. The build stage's products are made from this build's
 * own classes and runtime classpath ({@code target/runtime-classpath.txt}), exactly what {@code ./mvnw package} puts
 * in {@code cli/target/}: {@code lib/} and an {@code mlops.jar} whose manifest lists {@code lib/}. The base image
 * (the JRE) is stood in for by the JVM running the tests.
 */
public final class DockerImage {
    /** Where the repository's top level is, seen from the cli module's tests. */
    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    public final String name;
    public final Path rootfs;
    public final Map<String, String> env;
    public final Map<String, String> labels;
    public final String user;
    public final String workdir;
    public final List<String> entrypoint;
    public final List<String> cmd;
    public final List<String> healthcheck;
    public final List<String> exposed;
    public final List<String> runSteps;

    private DockerImage(String name, Path rootfs, Stage s) {
        this.name = name;
        this.rootfs = rootfs;
        this.env = Map.copyOf(s.env);
        this.labels = Map.copyOf(s.labels);
        this.user = s.user;
        this.workdir = s.workdir;
        this.entrypoint = s.entrypoint;
        this.cmd = s.cmd;
        this.healthcheck = s.healthcheck;
        this.exposed = List.copyOf(s.exposed);
        this.runSteps = List.copyOf(s.runs);
    }

    /** The parts of a stage an image keeps, plus what it copies and runs. */
    private static final class Stage {
        String name;
        Stage base;
        DockerImage baseImage;
        final Map<String, String> args = new LinkedHashMap<>();
        final Map<String, String> env = new LinkedHashMap<>();
        final Map<String, String> labels = new LinkedHashMap<>();
        String user = "0";
        String workdir = "/";
        List<String> entrypoint = List.of();
        List<String> cmd = List.of();
        List<String> healthcheck = List.of();
        final List<String> exposed = new ArrayList<>();
        final List<String[]> copies = new ArrayList<>(); // {from or null, src, dest}
        final List<String> runs = new ArrayList<>();

        void inherit(Stage b) {
            base = b;
            take(b.env, b.labels, b.user, b.workdir, b.entrypoint, b.cmd, b.healthcheck, b.exposed);
        }

        void inherit(DockerImage b) {
            baseImage = b;
            take(b.env, b.labels, b.user, b.workdir, b.entrypoint, b.cmd, b.healthcheck, b.exposed);
        }

        private void take(Map<String, String> env, Map<String, String> labels, String user, String workdir,
                          List<String> entrypoint, List<String> cmd, List<String> healthcheck, List<String> exposed) {
            this.env.putAll(env);
            this.labels.putAll(labels);
            this.user = user;
            this.workdir = workdir;
            this.entrypoint = entrypoint;
            this.cmd = cmd;
            this.healthcheck = healthcheck;
            this.exposed.addAll(exposed);
        }
    }

    /**
     * Builds {@code dockerfile} (its last stage) with {@code context} as build context.
     *
     * @param images images by name that a {@code FROM} may name (earlier builds); any other FROM is the base image
     * @param into   an empty folder for the image's file system; made readable by everyone, as an image layer is
     */
    public static DockerImage build(String name, Path dockerfile, Path context, Map<String, String> buildArgs,
                                    Map<String, DockerImage> images, Path into) {
        List<String[]> instructions = instructions(dockerfile);
        Map<String, String> global = new LinkedHashMap<>();
        Map<String, Stage> stages = new LinkedHashMap<>();
        Stage cur = null;
        for (String[] ins : instructions) {
            String op = ins[0];
            String rest = ins[1];
            if (cur == null && !op.equals("FROM")) {
                if (op.equals("ARG")) {
                    arg(rest, global, buildArgs, global);
                }
                continue;
            }
            Map<String, String> vars = cur == null ? global : scope(cur);
            switch (op) {
                case "FROM" -> {
                    String[] w = words(rest).toArray(new String[0]);
                    String from = substitute(w[0], global);
                    Stage next = new Stage();
                    next.name = w.length >= 3 && w[1].equalsIgnoreCase("AS") ? w[2] : null;
                    if (stages.containsKey(from)) {
                        next.inherit(stages.get(from));
                    } else if (images.containsKey(from)) {
                        next.inherit(images.get(from));
                    }
                    cur = next;
                    stages.put(next.name == null ? "#" + stages.size() : next.name, next);
                }
                case "ARG" -> arg(rest, cur.args, buildArgs, global);
                case "ENV" -> pairs(rest, vars).forEach(cur.env::put);
                case "LABEL" -> pairs(rest, vars).forEach(cur.labels::put);
                case "USER" -> cur.user = substitute(rest.trim(), vars);
                case "WORKDIR" -> cur.workdir = Path.of(cur.workdir).resolve(substitute(rest.trim(), vars)).toString();
                case "EXPOSE" -> cur.exposed.addAll(words(rest));
                case "ENTRYPOINT" -> cur.entrypoint = json(rest);
                case "CMD" -> cur.cmd = json(rest);
                case "HEALTHCHECK" -> cur.healthcheck = json(rest.substring(rest.indexOf("CMD") + 3));
                case "RUN" -> cur.runs.add(rest);
                case "COPY" -> {
                    List<String> w = new ArrayList<>(words(rest));
                    String from = null;
                    while (w.get(0).startsWith("--")) {
                        String flag = w.remove(0);
                        if (flag.startsWith("--from=")) {
                            from = flag.substring(7);
                        }
                    }
                    String dest = substitute(w.get(w.size() - 1), vars);
                    for (String src : w.subList(0, w.size() - 1)) {
                        cur.copies.add(new String[]{from, substitute(src, vars), dest});
                    }
                }
                default -> {
                    // STOPSIGNAL, SHELL, VOLUME, ONBUILD: not used by the project's Dockerfiles
                }
            }
        }
        if (cur == null) {
            throw new IllegalArgumentException(dockerfile + ": no FROM");
        }
        try {
            Files.createDirectories(into);
            layout(cur, context, into);
            Files.walkFileTree(into, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                    return FileVisitResult.CONTINUE;
                }
            });
            // The base image's /tmp, world-writable with the sticky bit as in every Debian image.
            Path tmp = Files.createDirectories(into.resolve("tmp"));
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new DockerImage(name, into, cur);
    }

    private static Map<String, String> scope(Stage s) {
        Map<String, String> m = new LinkedHashMap<>(s.args);
        m.putAll(s.env);
        return m;
    }

    private static void arg(String rest, Map<String, String> into, Map<String, String> buildArgs, Map<String, String> global) {
        String decl = rest.trim();
        int eq = decl.indexOf('=');
        String key = eq < 0 ? decl : decl.substring(0, eq);
        String dflt = eq < 0 ? global.get(key) : unquote(decl.substring(eq + 1));
        String v = buildArgs.containsKey(key) ? buildArgs.get(key) : dflt;
        into.put(key, v == null ? "" : v);
    }

    /** The base image's layers, then this stage's COPYs (the stages it inherits from first). */
    private static void layout(Stage s, Path context, Path root) throws IOException {
        if (s.base != null) {
            layout(s.base, context, root);
        } else if (s.baseImage != null) {
            copyTree(s.baseImage.rootfs, root);
        }
        for (String[] c : s.copies) {
            Path dest = inImage(root, c[2]);
            if (c[0] != null) {
                buildProduct(c[1], dest);
            } else {
                Path src = context.resolve(c[1]);
                if (!Files.isRegularFile(src)) {
                    throw new IllegalArgumentException("COPY " + c[1] + ": not a file in the build context " + context);
                }
                Path target = c[2].endsWith("/") ? dest.resolve(src.getFileName().toString()) : dest;
                Files.createDirectories(target.getParent());
                Files.copy(src, target, StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    static Path inImage(Path root, String path) {
        return root.resolve(path.replaceFirst("^/+", ""));
    }

    /** What the build stage made: {@code cli/target/lib/} and {@code cli/target/mlops.jar}, as ./mvnw package makes them. */
    private static void buildProduct(String path, Path dest) throws IOException {
        List<Path> runtime = runtimeClasspath();
        if (path.endsWith("/cli/target/lib/")) {
            Files.createDirectories(dest);
            for (Path p : runtime) {
                if (Files.isDirectory(p)) {
                    jar(p, dest.resolve(libName(p)), null);
                } else {
                    link(p, dest.resolve(p.getFileName().toString()));
                }
            }
        } else if (path.endsWith("/cli/target/mlops.jar")) {
            Manifest m = new Manifest();
            m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
            m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "dev.mlops.cli.Main");
            m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", runtime.stream()
                    .map(p -> "lib/" + (Files.isDirectory(p) ? libName(p) : p.getFileName().toString())).toList()));
            Files.createDirectories(dest.getParent());
            jar(REPO.resolve("cli/target/classes"), dest, m);
        } else if (path.startsWith("/src/") && Files.isRegularFile(REPO.resolve(path.substring("/src/".length())))) {
            // A source file the build stage copied in as it is (the model server's jvm.options).
            Files.createDirectories(dest.getParent());
            Files.copy(REPO.resolve(path.substring("/src/".length())), dest, StandardCopyOption.REPLACE_EXISTING);
        } else {
            throw new IllegalArgumentException("COPY --from: the test harness cannot make " + path);
        }
    }

    /** A module's classes folder (engine/target/classes) as the jar the image would hold. */
    private static String libName(Path classes) {
        return "mlops-" + classes.getParent().getParent().getFileName() + ".jar";
    }

    private static List<Path> runtimeClasspath() throws IOException {
        Path file = REPO.resolve("cli/target/runtime-classpath.txt");
        String text = Files.readString(file).trim();
        return Stream.of(text.split(java.io.File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    private static void link(Path src, Path dest) throws IOException {
        try {
            Files.createLink(dest, src);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(src, dest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    link(p, t);
                }
            }
        }
    }

    private static void jar(Path dir, Path dest, Manifest manifest) throws IOException {
        try (OutputStream out = Files.newOutputStream(dest);
             JarOutputStream jar = manifest == null ? new JarOutputStream(out) : new JarOutputStream(out, manifest);
             Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                String entry = dir.relativize(p).toString().replace('\\', '/');
                if (manifest != null && entry.equals("META-INF/MANIFEST.MF")) {
                    continue;
                }
                jar.putNextEntry(new JarEntry(entry));
                Files.copy(p, jar);
                jar.closeEntry();
            }
        }
    }

    // ---- parsing ----

    /** {instruction, rest}: continuation lines joined, comments dropped. */
    static List<String[]> instructions(Path dockerfile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dockerfile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String[]> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : lines) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && cur.isEmpty())) {
                continue;
            }
            if (t.endsWith("\\")) {
                cur.append(t, 0, t.length() - 1).append(' ');
                continue;
            }
            cur.append(t);
            String full = cur.toString().strip();
            cur.setLength(0);
            if (full.isEmpty()) {
                continue;
            }
            int sp = full.indexOf(' ');
            out.add(new String[]{full.substring(0, sp).toUpperCase(java.util.Locale.ROOT), full.substring(sp + 1).strip()});
        }
        return out;
    }

    private static List<String> json(String s) {
        try {
            return Json.MAPPER.readValue(s.strip(), new TypeReference<List<String>>() {
            });
        } catch (IOException e) {
            throw new IllegalArgumentException("expected the exec form (a JSON array), got: " + s, e);
        }
    }

    /** Shell-like words: double quotes group, a backslash escapes the next character. */
    static List<String> words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                w.append(s.charAt(++i));
                any = true;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any) {
                    out.add(w.toString());
                    w.setLength(0);
                    any = false;
                }
            } else {
                w.append(c);
                any = true;
            }
        }
        if (any) {
            out.add(w.toString());
        }
        return out;
    }

    /** {@code k=v k2="v 2"} with variables substituted (the legacy {@code ENV k v} form too). */
    private static Map<String, String> pairs(String rest, Map<String, String> vars) {
        Map<String, String> m = new LinkedHashMap<>();
        List<String> w = words(rest);
        if (!w.isEmpty() && !w.get(0).contains("=")) {
            m.put(w.get(0), substitute(rest.strip().substring(w.get(0).length()).strip(), vars));
            return m;
        }
        for (String kv : w) {
            int eq = kv.indexOf('=');
            m.put(kv.substring(0, eq), substitute(kv.substring(eq + 1), vars));
        }
        return m;
    }

    private static String unquote(String s) {
        String t = s.strip();
        return t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") ? t.substring(1, t.length() - 1) : t;
    }

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    static String substitute(String s, Map<String, String> vars) {
        Matcher m = VAR.matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String v = vars.get(name);
            if ((v == null || v.isEmpty()) && m.group(3) != null) {
                v = m.group(3);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v == null ? "" : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
