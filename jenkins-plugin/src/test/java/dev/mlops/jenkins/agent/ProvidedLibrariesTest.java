package dev.mlops.jenkins.agent;

import dev.mlops.jenkins.secrets.SecretMasker;
import dev.mlops.jenkins.testing.RecordingListener;
import hudson.EnvVars;
import hudson.FilePath;
import hudson.Launcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The child takes fabric8 from the kubernetes-client-api plugin instead of a second copy: laid out here as Jenkins
 * lays out plugins ({@code plugins/<name>/WEB-INF/lib}, classes loaded through a URLClassLoader), the plugin finds
 * the jars, and a child JVM built from the bundle plus those jars talks to a Kubernetes API server (fabric8's mock)
 * with the kubeconfig's token.
 */
class ProvidedLibrariesTest {
    static final String TOKEN = "sa-token-0a1b2c3d";

    @TempDir
    Path tmp;

    /** What the two plugins bundle, copied from this test's class path into their WEB-INF/lib folders. */
    private URLClassLoader jenkinsLikePlugins() throws Exception {
        Path k8s = Files.createDirectories(tmp.resolve("plugins/kubernetes-client-api/WEB-INF/lib"));
        Path okhttp = Files.createDirectories(tmp.resolve("plugins/okhttp-api/WEB-INF/lib"));
        List<URL> urls = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            Path dir = null;
            if (name.matches("(kubernetes-(client|model|httpclient-okhttp)|zjsonpatch|snakeyaml-engine).*\\.jar")) {
                dir = k8s;
            } else if (name.matches("(okhttp|okio|kotlin-stdlib).*\\.jar")) {
                dir = okhttp;
            }
            if (dir != null) {
                Path copy = Files.copy(Path.of(entry), dir.resolve(name));
                urls.add(copy.toUri().toURL());
            }
        }
        return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    @Test
    void findsTheJarsOfBothPluginsAndNothingElse() throws Exception {
        try (URLClassLoader plugins = jenkinsLikePlugins()) {
            List<String> names = ProvidedLibraries.fromPlugins(plugins).jars().stream()
                    .map(p -> p.getFileName().toString()).toList();
            assertThat(names).contains("kubernetes-client-api-7.3.1.jar", "kubernetes-client-7.3.1.jar",
                    "kubernetes-httpclient-okhttp-7.3.1.jar", "kubernetes-model-apps-7.3.1.jar",
                    "kubernetes-model-coordination-7.3.1.jar");
            assertThat(names).anyMatch(n -> n.startsWith("okhttp-")).anyMatch(n -> n.startsWith("okio"));
            assertThat(names).noneMatch(n -> n.contains("vertx") || n.startsWith("jackson"));
        }
    }

    @Test
    void aMissingPluginIsNamed() {
        URLClassLoader empty = new URLClassLoader(new URL[0], ClassLoader.getPlatformClassLoader());
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> ProvidedLibraries.fromPlugins(empty)))
                .hasMessageContaining("kubernetes-client-api, okhttp-api");
    }

    @Test
    void theChildTalksToKubernetesThroughTheBorrowedClient() throws Exception {
        KubernetesMockServer api = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                new KubernetesCrudDispatcher(), false);
        api.init();
        try (URLClassLoader plugins = jenkinsLikePlugins()) {
            CliBundle bundle = new CliBundle("test", CliInstallerTest::resource,
                    ProvidedLibraries.fromPlugins(plugins).jars());
            RecordingListener log = new RecordingListener();
            FilePath home = CliInstaller.ensure(new FilePath(tmp.resolve("tools").toFile()), bundle, log);
            Path ws = Files.createDirectories(tmp.resolve("ws"));
            Path kubeconfig = Files.writeString(tmp.resolve("kubeconfig"), String.join("\n", "apiVersion: v1",
                    "kind: Config", "clusters:", "- name: mock", "  cluster:", "    server: " + api.url("/"),
                    "contexts:", "- name: mock", "  context:", "    cluster: mock", "    user: ci", "current-context: mock",
                    "users:", "- name: ci", "  user:", "    token: " + TOKEN, ""));
            CliProcess cli = new CliProcess(home.act(new AgentJava()), home, true);
            EnvVars env = new EnvVars(Map.of("PATH", System.getenv("PATH"), "MLOPS_JAVA_OPTS", "-Xmx256m"));
            CliProcess.Output out = cli.run(new Launcher.LocalLauncher(log), new FilePath(ws.toFile()), "status",
                    List.of("--app", "demo", "--target", "kubernetes", "--namespace", "ml", "--kubeconfig",
                            kubeconfig.toString()), env, new SecretMasker(java.util.Set.of(TOKEN)), log);

            String json = new String(out.stdout(), StandardCharsets.UTF_8);
            assertThat(out.exitCode()).as(log.log()).isZero();
            assertThat(json).contains("\"app\" : \"demo\"").contains("\"active\" : null");
            RecordedRequest first = api.takeRequest(10, TimeUnit.SECONDS);
            assertThat(first).isNotNull();
            assertThat(first.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            assertThat(first.getHeader("User-Agent")).startsWith("fabric8-kubernetes-client/7.3.1");
            assertThat(log.log()).doesNotContain(TOKEN);
        } finally {
            api.destroy();
        }
    }
}
