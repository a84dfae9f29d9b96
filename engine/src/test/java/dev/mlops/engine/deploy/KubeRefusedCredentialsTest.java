package dev.mlops.engine.deploy;

import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Secret;
import dev.mlops.engine.api.DeployRequest;
import dev.mlops.engine.api.Engine;
import dev.mlops.engine.api.EngineContext;
import dev.mlops.engine.api.ErrorResult;
import dev.mlops.engine.api.RollbackRequest;
import dev.mlops.engine.api.StatusRequest;
import dev.mlops.engine.testing.EchoingServer;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An API server that refuses the credentials (401) or the identity's rights (403) is an input error, exit 2, as for
 * MLflow: retrying cannot help. The message names the API server and how the client identified itself, never the
 * token; a 5xx stays infrastructure (exit 3).
 */
@EnableKubernetesMockClient
class KubeRefusedCredentialsTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.r3fus3d-token-value";

    KubernetesClient client;
    KubernetesMockServer server;

    @TempDir
    Path dir;

    private Engine engine(ListLog log) {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        return new Engine(EngineContext.of(dir, log).withClock(clock).withSleeper(d -> { })
                .withKubeToken(Secret.of(TOKEN)));
    }

    private static void assertInputErrorWithoutToken(Throwable t, String... fragments) {
        assertThat(t).isInstanceOf(InputException.class);
        assertThat(ErrorResult.of(t).exitCode()).isEqualTo(ExitCodes.INPUT);
        assertThat(t.getMessage()).contains(fragments).doesNotContain(TOKEN);
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(TOKEN);
    }

    @Test
    void aRefusedTokenIsExitTwoForEveryOperationAndNamesTheServerAndTheMethod() throws Exception {
        for (int code : List.of(401, 403)) {
            try (EchoingServer api = EchoingServer.kubernetes(code)) {
                ListLog log = new ListLog();
                Engine e = engine(log);
                List<Throwable> thrown = List.of(
                        catchThrowable(() -> e.status(new StatusRequest().withApp("demo").withTarget("kubernetes")
                                .withNamespace("ml").withApiServer(api.url()))),
                        catchThrowable(() -> e.deploy(new DeployRequest("1").withApp("demo").withModelName("cancer")
                                .withImage("srv").withTarget("kubernetes").withNamespace("ml").withApiServer(api.url()))),
                        catchThrowable(() -> e.rollback(new RollbackRequest().withApp("demo").withTarget("kubernetes")
                                .withNamespace("ml").withApiServer(api.url()))));
                for (Throwable t : thrown) {
                    assertInputErrorWithoutToken(t, "API server " + api.url(), "refused a bearer token",
                            "HTTP " + code, "bad credentials: Bearer ****");
                }
                assertThat(api.authorizations()).isNotEmpty().allMatch(a -> a.equals("Bearer " + TOKEN));
                assertThat(log.text()).doesNotContain(TOKEN);
            }
        }
    }

    @Test
    void aKubeconfigsIdentityIsNamedByFileContextAndUser() throws Exception {
        try (EchoingServer api = EchoingServer.kubernetes(401)) {
            Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                    apiVersion: v1
                    kind: Config
                    clusters:
                    - name: prod
                      cluster: {server: %s}
                    users:
                    - name: ci-deployer
                      user: {token: %s}
                    contexts:
                    - name: prod-ci
                      context: {cluster: prod, user: ci-deployer, namespace: ml}
                    current-context: prod-ci
                    """.formatted(api.url(), TOKEN));
            Throwable t = catchThrowable(() -> engine(new ListLog()).status(new StatusRequest().withApp("demo")
                    .withTarget("kubernetes").withNamespace("ml").withKubeconfig(kubeconfig.toString())));
            assertInputErrorWithoutToken(t, "API server " + api.url(), "kubeconfig " + kubeconfig,
                    "context 'prod-ci'", "user 'ci-deployer'", "HTTP 401");
        }
    }

    /** A target on the mock server, with fabric8's own retries off as KubeAccess configures them. */
    private KubernetesTarget target() {
        KubernetesClient noRetries = new KubernetesClientBuilder().withConfig(new ConfigBuilder(client.getConfiguration())
                .withRequestRetryBackoffLimit(0).build()).build();
        return new KubernetesTarget(noRetries, "demo", KubeSettings.of("ml"), new ListLog(),
                new FakeClock(Instant.parse("2026-11-25T01:00:00Z")), d -> { });
    }

    @Test
    void aForbiddenVerbSaysWhatTheServerRefused() {
        server.expect().get().withPath("/api/v1/namespaces/ml/services/demo").andReturn(403, new StatusBuilder()
                .withStatus("Failure").withReason("Forbidden").withCode(403)
                .withMessage("services \"demo\" is forbidden: User \"system:serviceaccount:ci:deployer\" cannot get "
                        + "resource \"services\" in API group \"\" in the namespace \"ml\"").build()).always();
        Throwable t = catchThrowable(target()::activeColor);
        assertInputErrorWithoutToken(t, "API server " + client.getMasterUrl(), "HTTP 403",
                "cannot get resource", "k8s/rbac.yaml");
    }

    @Test
    void aServerErrorStaysInfrastructure() {
        server.expect().get().withPath("/api/v1/namespaces/ml/services/demo").andReturn(503, new StatusBuilder()
                .withStatus("Failure").withCode(503).withMessage("etcd unavailable").build()).always();
        Throwable t = catchThrowable(target()::activeColor);
        assertThat(ErrorResult.of(t).exitCode()).isEqualTo(ExitCodes.INFRA);
    }
}
