package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import dev.mlops.engine.Secret;
import dev.mlops.engine.testing.EchoingServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/** A token passed as a Secret never shows up in logs, messages, stack traces or toString. */
@EnableKubernetesMockClient(crud = true)
class KubeAccessTest {
    static final java.util.logging.Logger MOCK_LOG = KubernetesFaultTest.quiet();
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.s3cr3t-token-value";

    KubernetesClient client;
    KubernetesMockServer server;

    @Test
    void tokenIsNotInTheLogsOfAFullDeploy() {
        KubeAccess access = KubeAccess.token(server.url("/"), Secret.of(TOKEN), null, true);
        assertThat(access.toString()).doesNotContain(TOKEN).contains("with a token");
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        ListLog log = new ListLog();
        try (KubernetesClient kube = access.connect("ml")) {
            FakeCluster cluster = new FakeCluster(kube, "ml", "demo", clock);
            KubernetesTarget target = new KubernetesTarget(kube, "demo", KubeSettings.of("ml"), log, clock, cluster);
            Release r = new BlueGreen(target, null, cluster, log, clock, cluster)
                    .deploy(KubernetesFaultTest.cfg("srv:1", "1"));
            assertThat(r.outcome()).isEqualTo(Outcome.SUCCEEDED);
            assertThat(json(r)).doesNotContain(TOKEN);
        }
        assertThat(log.text()).isNotBlank().doesNotContain(TOKEN);
    }

    @Test
    void tokenIsNotInTheErrorWhenTheClusterIsUnreachable() {
        KubeAccess access = KubeAccess.token("https://127.0.0.1:1", Secret.of(TOKEN), null, true);
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        ListLog log = new ListLog();
        Throwable t;
        try (KubernetesClient kube = access.connect("ml")) {
            KubernetesTarget target = new KubernetesTarget(kube, "demo", KubeSettings.of("ml"), log, clock, d -> { });
            t = catchThrowable(() -> new BlueGreen(target, null, new HttpServerClient(java.time.Duration.ofSeconds(1)), log, clock, d -> { })
                    .deploy(KubernetesFaultTest.cfg("srv:1", "1")));
        }
        assertThat(t).isInstanceOf(InfraException.class).hasMessageContaining("127.0.0.1:1");
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(TOKEN);
        assertThat(log.text()).doesNotContain(TOKEN);
    }

    @Test
    void anApiServerThatEchoesTheTokenNeverGetsItIntoAMessageALogOrALedger() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        ListLog log = new ListLog();
        Throwable t;
        try (EchoingServer api = EchoingServer.kubernetes(401)) {
            KubeAccess access = KubeAccess.token(api.url(), Secret.of(TOKEN), null, false);
            try (KubernetesClient kube = access.connect("ml")) {
                KubernetesTarget target = new KubernetesTarget(kube, "demo", KubeSettings.of("ml"), log, clock, d -> { });
                t = catchThrowable(() -> new BlueGreen(target, null, new HttpServerClient(java.time.Duration.ofSeconds(1)),
                        log, clock, d -> { }).deploy(KubernetesFaultTest.cfg("srv:1", "1")));
                Throwable status = catchThrowable(target::activeColor);
                assertThat(status).isNotNull();
                assertThat(trace(status)).doesNotContain(TOKEN).contains("bad credentials: Bearer ****");
            }
            assertThat(api.authorizations()).isNotEmpty().allMatch(a -> a.equals("Bearer " + TOKEN)); // really echoed
        }
        assertThat(t).isNotNull();
        assertThat(t.getMessage()).doesNotContain(TOKEN);
        assertThat(trace(t)).doesNotContain(TOKEN).contains("401");
        assertThat(log.text()).doesNotContain(TOKEN);
        // The token went over plain http: said once, up front.
        assertThat(log.text()).contains("WARNING: ").contains("plain http");
    }

    private static String trace(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }

    private static String json(Object o) {
        return dev.mlops.engine.Json.write(o);
    }
}
