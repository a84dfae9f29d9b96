package dev.mlops.cli.pod;

import dev.mlops.engine.deploy.FakeCluster;
import dev.mlops.engine.deploy.HttpServerClient;
import dev.mlops.engine.deploy.ServerClient;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs a pod's container as a process the way a kubelet would: the image's ENTRYPOINT and CMD (parsed from its
 * Dockerfile) replaced by the container's {@code command} and {@code args} by Kubernetes' rules, {@code $(VAR)}
 * expanded; the environment from the image's ENV, then {@code envFrom}, then {@code env}, with Secrets and
 * ConfigMaps taken from the test's own objects; volumes as folders; the user from the security context or the image,
 * dropped to with setpriv when the tests run as root; the readiness probe sent to the declared container port.
 *
 * <p>What a process on one machine cannot have is mapped, and only this: the container's file system is
 * {@link DockerImage#rootfs} with the mounts laid over it, so an argument or variable holding an absolute path is
 * rewritten to the folder that stands for it (and the JVM's {@code java.io.tmpdir} to the folder mounted at /tmp);
 * the pod's network namespace is one loopback address of its own (127.x.y.z), so {@code 0.0.0.0} in its arguments
 * and {@code 127.0.0.1} in its HEALTHCHECK mean that address. A container that binds 127.0.0.1 because nobody told
 * it {@code --host 0.0.0.0} is unreachable on its pod IP, as in a cluster.
 */
public final class Kubelet implements FakeCluster.PodRuntime {
    private static final AtomicInteger IPS = new AtomicInteger();
    private static final int IP_BASE = ThreadLocalRandom.current().nextInt(1 << 12);

    private final Map<String, DockerImage> images;
    private final Map<String, Map<String, String>> secrets;
    private final Map<String, Map<String, String>> configMaps;
    private final Map<String, Path> claims;
    private final Path workDir;
    /** Every pod started, in order. */
    public final List<ProcessPod> started = new CopyOnWriteArrayList<>();

    /**
     * @param images     the images a pod may name, by name (what a registry would serve)
     * @param secrets    Secrets of the namespace: name, then key to value
     * @param configMaps ConfigMaps of the namespace
     * @param claims     PersistentVolumeClaims, by name, as the folders they are
     * @param workDir    where pods keep their volumes and logs
     */
    public Kubelet(Map<String, DockerImage> images, Map<String, Map<String, String>> secrets,
                   Map<String, Map<String, String>> configMaps, Map<String, Path> claims, Path workDir) {
        this.images = images;
        this.secrets = secrets;
        this.configMaps = configMaps;
        this.claims = claims;
        this.workDir = workDir;
    }

    @Override
    public ProcessPod start(String name, Deployment d) {
        ProcessPod p = new ProcessPod(name, d.getSpec().getTemplate().getSpec(),
                d.getSpec().getTemplate().getMetadata().getLabels());
        started.add(p);
        p.launch();
        return p;
    }

    /** Starts one pod from a bare pod spec (the single-pod tests). */
    public ProcessPod start(String name, PodSpec spec) {
        ProcessPod p = new ProcessPod(name, spec, Map.of());
        started.add(p);
        p.launch();
        return p;
    }

    /** Stops every pod still running. */
    public void stopAll() {
        started.forEach(ProcessPod::stop);
    }

    /** A free port on every address now (for a container port the test chooses). */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code port} can be bound on {@code ip}, i.e. no wildcard listener holds it on this machine. */
    public static boolean bindable(String ip, int port) {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(ip, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A loopback address no other pod of this JVM has: 127.a.b.c with a >= 16. */
    static String nextPodIp() {
        int n = IP_BASE * 4096 + IPS.incrementAndGet();
        return "127." + (16 + (n >> 16) % 200) + "." + ((n >> 8) & 0xff) + "." + (1 + (n & 0xff) % 254);
    }

    /** One pod: its process, its folders, what its probe last said. */
    public final class ProcessPod implements FakeCluster.PodHandle {
        public final String name;
        public final String ip = nextPodIp();
        final PodSpec spec;
        final Container container;
        final Map<String, String> labels;
        final Path dir;
        final Path log;
        /** Container path prefix (mount path, or "/" for the image) to the folder standing for it, longest first. */
        final Map<String, Path> fs = new LinkedHashMap<>();
        DockerImage image;
        Map<String, String> env = Map.of();
        List<String> argv = List.of();
        int port = -1;
        Integer uid;
        Integer gid;
        Process process;
        volatile String waitingReason;
        volatile String waitingMessage;
        volatile boolean ready;
        volatile boolean stopped;
        private final HttpServerClient http = new HttpServerClient(Duration.ofSeconds(5));

        ProcessPod(String name, PodSpec spec, Map<String, String> labels) {
            this.name = name;
            this.spec = spec;
            this.container = spec.getContainers().get(0);
            this.labels = labels;
            this.dir = workDir.resolve(name);
            this.log = dir.resolve("container.log");
        }

        void launch() {
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                image = images.get(container.getImage());
                if (image == null) {
                    waiting("ErrImagePull", "failed to pull image \"" + container.getImage() + "\": not found");
                    return;
                }
                String problem = mount();
                if (problem == null) {
                    problem = environment();
                }
                if (problem == null) {
                    problem = user();
                }
                if (problem != null) {
                    waiting("CreateContainerConfigError", problem);
                    return;
                }
                port = declaredPort();
                argv = commandLine();
                List<String> cmd = new ArrayList<>();
                if (uid != null && uid != currentUid()) {
                    cmd.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
                }
                cmd.add(executable(argv.get(0)));
                cmd.addAll(argv.subList(1, argv.size()));
                ProcessBuilder pb = new ProcessBuilder(cmd).directory(host(container.getWorkingDir() != null
                        ? container.getWorkingDir() : image.workdir).toFile()).redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                pb.environment().clear();
                pb.environment().putAll(env);
                process = pb.start();
            } catch (IOException e) {
                waiting("RunContainerError", e.getMessage());
            }
        }

        private void waiting(String reason, String message) {
            waitingReason = reason;
            waitingMessage = message;
        }

        /** Volumes by name, laid over the image; mount paths longest first so the most specific wins. */
        private String mount() throws IOException {
            Map<String, Volume> volumes = new LinkedHashMap<>();
            for (Volume v : spec.getVolumes() == null ? List.<Volume>of() : spec.getVolumes()) {
                volumes.put(v.getName(), v);
            }
            List<VolumeMount> mounts = new ArrayList<>(container.getVolumeMounts() == null ? List.of()
                    : container.getVolumeMounts());
            mounts.sort(Comparator.comparingInt((VolumeMount m) -> m.getMountPath().length()).reversed());
            for (VolumeMount m : mounts) {
                Volume v = volumes.get(m.getName());
                if (v == null) {
                    return "volume \"" + m.getName() + "\" not found";
                }
                Path folder;
                if (v.getEmptyDir() != null) {
                    folder = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
                    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
                } else if (v.getSecret() != null || v.getConfigMap() != null) {
                    boolean secret = v.getSecret() != null;
                    String ref = secret ? v.getSecret().getSecretName() : v.getConfigMap().getName();
                    Map<String, String> data = (secret ? secrets : configMaps).get(ref);
                    if (data == null) {
                        return (secret ? "secret" : "configmap") + " \"" + ref + "\" not found";
                    }
                    folder = Files.createDirectories(dir.resolve("volumes").resolve(v.getName()));
                    for (Map.Entry<String, String> e : data.entrySet()) {
                        Files.writeString(folder.resolve(e.getKey()), e.getValue());
                    }
                } else if (v.getPersistentVolumeClaim() != null) {
                    folder = claims.get(v.getPersistentVolumeClaim().getClaimName());
                    if (folder == null) {
                        return "persistentvolumeclaim \"" + v.getPersistentVolumeClaim().getClaimName() + "\" not found";
                    }
                } else {
                    return "volume \"" + v.getName() + "\": this kubelet knows emptyDir, secret, configMap and "
                            + "persistentVolumeClaim only";
                }
                fs.put(m.getMountPath().replaceAll("/+$", ""), folder);
            }
            fs.put("", image.rootfs);
            return null;
        }

        /** Image ENV, then envFrom, then env; absolute paths mapped; the JVM's temp folder is the pod's /tmp. */
        private String environment() {
            Map<String, String> e = new LinkedHashMap<>();
            String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
            e.put("PATH", javaBin + ":/usr/local/bin:/usr/bin:/bin"); // the base image's, here the test JVM's JRE
            e.put("HOSTNAME", name);
            e.put("HOME", image.workdir);
            e.putAll(image.env);
            for (EnvFromSource from : container.getEnvFrom() == null ? List.<EnvFromSource>of() : container.getEnvFrom()) {
                boolean secret = from.getSecretRef() != null;
                String ref = secret ? from.getSecretRef().getName() : from.getConfigMapRef().getName();
                Boolean optional = secret ? from.getSecretRef().getOptional() : from.getConfigMapRef().getOptional();
                Map<String, String> data = (secret ? secrets : configMaps).get(ref);
                if (data == null) {
                    if (Boolean.TRUE.equals(optional)) {
                        continue;
                    }
                    return (secret ? "secret" : "configmap") + " \"" + ref + "\" not found";
                }
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                data.forEach((k, v) -> e.put(prefix + k, v));
            }
            for (EnvVar v : container.getEnv() == null ? List.<EnvVar>of() : container.getEnv()) {
                if (v.getValueFrom() == null) {
                    e.put(v.getName(), expand(v.getValue() == null ? "" : v.getValue(), e));
                    continue;
                }
                var sk = v.getValueFrom().getSecretKeyRef();
                var ck = v.getValueFrom().getConfigMapKeyRef();
                String ref = sk != null ? sk.getName() : ck != null ? ck.getName() : null;
                if (ref == null) {
                    return "env " + v.getName() + ": this kubelet knows secretKeyRef and configMapKeyRef only";
                }
                Map<String, String> data = (sk != null ? secrets : configMaps).get(ref);
                String key = sk != null ? sk.getKey() : ck.getKey();
                if (data == null || !data.containsKey(key)) {
                    if (Boolean.TRUE.equals(sk != null ? sk.getOptional() : ck.getOptional())) {
                        continue;
                    }
                    return "couldn't find key " + key + " in " + (sk != null ? "Secret" : "ConfigMap") + " " + ref;
                }
                e.put(v.getName(), data.get(key));
            }
            Map<String, String> mapped = new LinkedHashMap<>();
            e.forEach((k, v) -> mapped.put(k, k.equals("PATH") || k.equals("JAVA_HOME") ? v : mapValue(v)));
            String tmp = host("/tmp").toString();
            mapped.merge("JAVA_TOOL_OPTIONS", "-Djava.io.tmpdir=" + tmp, (a, b) -> a + " " + b);
            env = mapped;
            return null;
        }

        /** securityContext.runAsUser / runAsGroup (container, then pod), else the image's USER; runAsNonRoot enforced. */
        private String user() {
            SecurityContext sc = container.getSecurityContext();
            var psc = spec.getSecurityContext();
            Long u = sc != null && sc.getRunAsUser() != null ? sc.getRunAsUser() : psc != null ? psc.getRunAsUser() : null;
            Long g = sc != null && sc.getRunAsGroup() != null ? sc.getRunAsGroup() : psc != null ? psc.getRunAsGroup() : null;
            String[] img = image.user.split(":");
            if (u == null && !img[0].matches("\\d+")) {
                return "container has runAsNonRoot and image has non-numeric user (" + img[0] + "), cannot verify user is non-root";
            }
            uid = u != null ? u.intValue() : Integer.parseInt(img[0]);
            gid = g != null ? g.intValue() : img.length > 1 ? Integer.parseInt(img[1]) : uid;
            boolean nonRoot = Boolean.TRUE.equals(sc != null ? sc.getRunAsNonRoot() : null)
                    || psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot());
            if (nonRoot && uid == 0) {
                return "container has runAsNonRoot and image will run as root";
            }
            if (currentUid() != 0) {
                uid = null; // cannot switch users: run as whoever runs the tests
            }
            return null;
        }

        private int declaredPort() {
            List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
            return ports.isEmpty() ? -1 : ports.get(0).getContainerPort();
        }

        /** Kubernetes' rule: command replaces ENTRYPOINT (and drops CMD), args replace CMD; then $(VAR). */
        private List<String> commandLine() {
            List<String> entry = container.getCommand() != null && !container.getCommand().isEmpty()
                    ? container.getCommand() : image.entrypoint;
            List<String> args = container.getArgs() != null && !container.getArgs().isEmpty() ? container.getArgs()
                    : container.getCommand() != null && !container.getCommand().isEmpty() ? List.of() : image.cmd;
            List<String> out = new ArrayList<>();
            for (String s : Stream.concat(entry.stream(), args.stream()).toList()) {
                String v = expand(s, env);
                out.add(v.equals("0.0.0.0") ? ip : mapValue(v));
            }
            return out;
        }

        private static final Pattern REF = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

        private String expand(String s, Map<String, String> vars) {
            Matcher m = REF.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String v = vars.get(m.group(1));
                m.appendReplacement(out, Matcher.quoteReplacement(v == null ? m.group() : v));
            }
            m.appendTail(out);
            return out.toString();
        }

        /** An absolute container path (or a java @argfile naming one) becomes the folder that stands for it. */
        private String mapValue(String v) {
            if (v.startsWith("@/") && !v.contains(":") && !v.contains(" ")) {
                return "@" + host(v.substring(1));
            }
            return v.startsWith("/") && !v.contains(":") && !v.contains(" ") ? host(v).toString() : v;
        }

        /** The host path of a container path: the longest mount that holds it, else the image. */
        public Path host(String containerPath) {
            String p = containerPath.replaceAll("/+$", "");
            for (Map.Entry<String, Path> m : fs.entrySet()) {
                String mp = m.getKey();
                if (p.equals(mp) || p.startsWith(mp + "/")) {
                    return DockerImage.inImage(m.getValue(), p.substring(mp.length()));
                }
            }
            return DockerImage.inImage(image.rootfs, p);
        }

        private String executable(String name) {
            if (name.contains("/")) {
                return name;
            }
            for (String d : env.getOrDefault("PATH", "").split(":")) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p)) {
                    return p.toString();
                }
            }
            return name;
        }

        /** The readiness probe: an HTTP GET of its path on the declared port of the pod's address. */
        @Override
        public void tick() {
            if (process == null) {
                return;
            }
            if (!process.isAlive()) {
                ready = false;
                if (!stopped) {
                    waiting("CrashLoopBackOff", "back-off restarting failed container " + container.getName()
                            + ": exit code " + process.exitValue() + ": " + lastLine());
                }
                return;
            }
            var probe = container.getReadinessProbe();
            String path = probe != null && probe.getHttpGet() != null ? probe.getHttpGet().getPath() : "/";
            ready = port > 0 && probeOk(path, probe == null || probe.getTimeoutSeconds() == null ? 1 : probe.getTimeoutSeconds());
        }

        private boolean probeOk(String path, int timeoutSeconds) {
            try {
                HttpResponse<Void> r = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(timeoutSeconds)).build()
                        .send(HttpRequest.newBuilder(address().resolve(path)).timeout(Duration.ofSeconds(timeoutSeconds))
                                .GET().build(), HttpResponse.BodyHandlers.discarding());
                return r.statusCode() >= 200 && r.statusCode() < 400;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public boolean ready() {
            return ready && !stopped;
        }

        @Override
        public PodStatus status() {
            PodStatusBuilder b = new PodStatusBuilder().withPodIP(ip);
            if (waitingReason != null) {
                return b.withPhase(process == null ? "Pending" : "Running").addNewContainerStatus()
                        .withName(container.getName()).withImage(container.getImage()).withReady(false)
                        .withNewState().withNewWaiting().withReason(waitingReason).withMessage(waitingMessage)
                        .endWaiting().endState().endContainerStatus().build();
            }
            return b.withPhase("Running").addNewCondition().withType("Ready").withStatus(ready() ? "True" : "False")
                    .endCondition().addNewContainerStatus().withName(container.getName()).withImage(container.getImage())
                    .withReady(ready()).withNewState().withNewRunning().endRunning().endState().endContainerStatus().build();
        }

        @Override
        public URI address() {
            return URI.create("http://" + ip + ":" + port);
        }

        @Override
        public ServerClient.Reply get(String path, boolean viaActive) {
            return http.get(address(), path);
        }

        @Override
        public ServerClient.Reply predict(List<List<Double>> rows, boolean viaActive) {
            return http.predict(address(), rows);
        }

        /** SIGTERM, then the grace period, then SIGKILL; returns how long the process took to exit. */
        @Override
        public void stop() {
            stopped = true;
            ready = false;
            if (process == null || !process.isAlive()) {
                return;
            }
            process.destroy();
            long grace = spec.getTerminationGracePeriodSeconds() == null ? 30 : spec.getTerminationGracePeriodSeconds();
            try {
                if (!process.waitFor(grace, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        /** The image's HEALTHCHECK command run inside the pod (its env, its user, its loopback); the exit code. */
        public int healthcheck() throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>();
            if (uid != null && uid != currentUid()) {
                cmd.addAll(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"));
            }
            for (String s : image.healthcheck) {
                cmd.add(s.replace("127.0.0.1", ip));
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("healthcheck.log").toFile());
            pb.environment().clear();
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        }

        public Optional<Process> process() {
            return Optional.ofNullable(process);
        }

        public Map<String, String> env() {
            return env;
        }

        public List<String> argv() {
            return argv;
        }

        public int port() {
            return port;
        }

        public String waitingReason() {
            return waitingReason;
        }

        public String waitingMessage() {
            return waitingMessage;
        }

        /** What the container wrote (stdout and stderr). */
        public String logText() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(log unreadable: " + e.getMessage() + ")";
            }
        }

        private String lastLine() {
            List<String> lines = logText().lines().filter(l -> !l.isBlank() && !l.startsWith("Picked up ")).toList();
            return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "pod " + name + " (" + ip + ":" + port + ", " + (waitingReason != null ? waitingReason
                    : ready() ? "ready" : "not ready") + ")";
        }
    }

    private static final Map<String, Integer> UID = new ConcurrentHashMap<>();

    /** The uid the tests run as (/proc/self has the owner of the running process). */
    static int currentUid() {
        return UID.computeIfAbsent("self", k -> {
            try {
                return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
                return -1;
            }
        });
    }
}
