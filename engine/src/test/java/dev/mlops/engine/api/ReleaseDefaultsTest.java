package dev.mlops.engine.api;

import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.deploy.DeployDefaults;
import dev.mlops.engine.deploy.RollbackConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One set of defaults whatever the path (issue 8 §1.3): the same deploy described by a spec that leaves every
 * release setting unset, and by options alone, gives field-for-field the same configuration and target. Before,
 * the spec path gave maxErrorRate 0.01 and a 250 ms smoke budget while options alone gave 0.0 and 500 ms.
 */
class ReleaseDefaultsTest {
    @TempDir
    Path dir;

    private EngineContext ctx;
    private ReleaseOperations ops;

    @BeforeEach
    void setUp() throws Exception {
        Files.writeString(dir.resolve("smoke.csv"), "x0,x1,label\n5,1,benign\n15,2,malignant\n");
        Files.writeString(dir.resolve("mlops.yaml"), """
                name: demo
                data: {path: data.csv, target: label}
                tracking: {uri: registry, registeredModel: cancer}
                deploy: {smokeSamples: smoke.csv}
                """);
        ctx = EngineContext.of(dir, Log.NONE).withCi(Map.of("GIT_COMMIT", "abc", "BUILD_URL", "https://ci/7/",
                "USER", "alice"));
        ops = new ReleaseOperations(ctx);
    }

    private DeployRequest fromSpec() {
        return new DeployRequest("3").withSpec("mlops.yaml");
    }

    private DeployRequest fromOptions() {
        return new DeployRequest("3").withApp("demo").withModelName("cancer").withSmokeSamples("smoke.csv")
                .withTrackingUri("registry");
    }

    @Test
    void aDeployFromTheSpecAndFromOptionsGetTheSameConfigFieldByField() {
        DeployConfig spec = ops.deployConfig(fromSpec(), ReleaseTarget.resolve(fromSpec(), ctx));
        DeployConfig options = ops.deployConfig(fromOptions(), ReleaseTarget.resolve(fromOptions(), ctx));

        assertThat(options).usingRecursiveComparison().isEqualTo(spec);
        // and they are the documented defaults, not merely equal to each other
        assertThat(spec.maxErrorRate()).isEqualTo(DeployDefaults.MAX_ERROR_RATE).isEqualTo(0.01);
        assertThat(spec.smoke().latencyBudget()).isEqualTo(DeployDefaults.SMOKE_LATENCY_BUDGET).isEqualTo(Duration.ofMillis(250));
        assertThat(spec.verifyWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(spec.replicas()).isEqualTo(2);
        assertThat(spec.warmReplicas()).isEqualTo(1);
        assertThat(spec.historySize()).isEqualTo(5);
        assertThat(spec.readyTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(spec.smoke().rows()).hasSize(2);
        assertThat(spec.alias()).as("alias follows traffic when a registry is known").isEqualTo("production");
        assertThat(spec.who()).isEqualTo("alice");
        assertThat(spec.buildUrl()).isEqualTo("https://ci/7/");
        assertThat(spec.gitSha()).isEqualTo("abc");
        assertThat(spec.image()).isEqualTo("local");
    }

    @Test
    void theTargetIsTheSameToo() {
        ReleaseTarget spec = ReleaseTarget.resolve(fromSpec(), ctx);
        ReleaseTarget options = ReleaseTarget.resolve(fromOptions(), ctx);

        assertThat(options).usingRecursiveComparison().ignoringFields("spec").isEqualTo(spec);
        assertThat(spec.port()).isEqualTo(8080);
        assertThat(spec.stateDir()).isEqualTo(dir.resolve(".mlops/local/demo"));
        assertThat(spec.trackingUri()).isEqualTo(dir.resolve("registry").toString());

        ReleaseTarget staging = ReleaseTarget.resolve(fromSpec().withEnvironment("staging"), ctx);
        ReleaseTarget stagingOptions = ReleaseTarget.resolve(fromOptions().withEnvironment("staging"), ctx);
        assertThat(stagingOptions).usingRecursiveComparison().ignoringFields("spec").isEqualTo(staging);
        assertThat(staging.port()).isEqualTo(8180);
        assertThat(staging.stateDir()).as("staging never shares production's ledger or proxy")
                .isEqualTo(dir.resolve(".mlops/local/demo-staging"));
    }

    @Test
    void aRollbackFromTheSpecAndFromOptionsGetTheSameConfig() {
        RollbackRequest spec = new RollbackRequest().withSpec("mlops.yaml");
        RollbackRequest options = new RollbackRequest().withApp("demo").withSmokeSamples("smoke.csv").withTrackingUri("registry");
        RollbackConfig a = ops.rollbackConfig(spec, ReleaseTarget.resolve(spec, ctx));
        RollbackConfig b = ops.rollbackConfig(options, ReleaseTarget.resolve(options, ctx));

        assertThat(b).usingRecursiveComparison().isEqualTo(a);
        assertThat(a.verifyWindow()).as("one round, not the deploy's 30 s").isEqualTo(Duration.ZERO);
        assertThat(a.maxErrorRate()).isEqualTo(0.01);
    }

    @Test
    void specValuesAndOptionsStillWinOverTheDefaults() throws Exception {
        Files.writeString(dir.resolve("mlops.yaml"), Files.readString(dir.resolve("mlops.yaml"))
                .replace("deploy: {smokeSamples: smoke.csv}", "deploy: {smokeSamples: smoke.csv, maxErrorRate: 0.2, "
                        + "smokeLatencyBudgetMs: 90, verifySeconds: 8, rollbackVerifySeconds: 4, port: 9000}"));
        DeployRequest req = fromSpec().withVerifyWindow(Duration.ofSeconds(2));
        DeployConfig cfg = ops.deployConfig(req, ReleaseTarget.resolve(req, ctx));
        assertThat(cfg.maxErrorRate()).isEqualTo(0.2);
        assertThat(cfg.smoke().latencyBudget()).isEqualTo(Duration.ofMillis(90));
        assertThat(cfg.verifyWindow()).as("option over spec").isEqualTo(Duration.ofSeconds(2));
        assertThat(ReleaseTarget.resolve(req, ctx).port()).isEqualTo(9000);
        RollbackRequest rb = new RollbackRequest().withSpec("mlops.yaml");
        assertThat(ops.rollbackConfig(rb, ReleaseTarget.resolve(rb, ctx)).verifyWindow()).isEqualTo(Duration.ofSeconds(4));
        RollbackRequest overridden = rb.withOverrides(List.of("deploy.rollbackVerifySeconds=6"));
        assertThat(ops.rollbackConfig(overridden, ReleaseTarget.resolve(overridden, ctx)).verifyWindow())
                .isEqualTo(Duration.ofSeconds(6));
    }
}
