package dev.mlops.cli.ci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs this repository's generated GitHub workflows with {@link LocalActionsRunner} (no Actions runner installs
 * here) in the order GitHub would trigger them, on the local deploy target: test on a push; build (which calls the
 * reusable train workflow: validate, train, gate, register) and deploy-staging after it; deploy-production by
 * dispatch; a second commit's build, staging and production release version 2; rollback by dispatch takes
 * production back to version 1; continuous training finds no drift and trains nothing. The same outcomes as the
 * GitLab run: every job passes, the registry's aliases move with traffic, and the job summaries carry the gate table
 * and the release record.
 */
class GithubWorkflowsRunTest {
    static final String WF = ".github/workflows/";

    @TempDir
    Path tmp;

    @Test
    void theGeneratedWorkflowsTrainGateDeployAndRollBack() {
        try (PipelineSandbox box = new PipelineSandbox(tmp, List.of(WF + "test.yml", WF + "train.yml", WF + "build.yml",
                WF + "deploy-staging.yml", WF + "deploy-production.yml", WF + "rollback.yml",
                WF + "continuous-training.yml", ".github/actions/setup-mlops", PipelineSandbox.SPEC,
                "examples/breast-cancer/data"))) {
            LocalActionsRunner gh = new LocalActionsRunner(box, Map.of("MLFLOW_TRACKING_URI", box.registry.toString()),
                    Map.of("MLOPS_STATE_DIR", box.state.toString()), tmp.resolve("runner"));

            LocalActionsRunner.RunResult test = passed(gh.run(WF + "test.yml", "push", Map.of()));
            assertThat(test.summaries()).contains("### Data checks: passed", "### Gate: passed",
                    "| check | subject | candidate | baseline | delta | rule | verdict |");
            assertThat(box.alias("candidate")).as("model tests record nothing").isNull();

            release(gh, box, "1");
            box.commit("a second commit");
            release(gh, box, "2");

            LocalActionsRunner.RunResult rollback = passed(gh.run(WF + "rollback.yml", "workflow_dispatch",
                    Map.of("inputs", Map.of("to", "previous"))));
            assertThat(box.alias("production")).as("rollback moves production back").isEqualTo("1");
            assertThat(box.alias("staging")).isEqualTo("2");
            assertThat(rollback.summaries()).contains("### Release rollback to production: SUCCEEDED", "| modelVersion | 1 |");
            assertThat(rollback.logs()).contains("no SLACK_WEBHOOK_URL secret: no notification");

            LocalActionsRunner.RunResult ct = passed(gh.run(WF + "continuous-training.yml", "schedule", Map.of()));
            assertThat(ct.jobs().get("drift").outputs()).containsEntry("retrain", "false");
            assertThat(ct.jobs().get("train").result()).isEqualTo("skipped");
            assertThat(box.alias("candidate")).isEqualTo("2");

            System.out.println("GitHub workflows run locally; mapped: " + gh.mapped());
            System.out.println("not run (no local equivalent): " + gh.notRun());
            assertThat(gh.notRun()).allMatch(s -> s.contains("docker/") || s.contains("aquasecurity/trivy-action"));
        }
    }

    /** build (train inside) → deploy-staging → deploy-production of the version the build registered. */
    private void release(LocalActionsRunner gh, PipelineSandbox box, String version) {
        LocalActionsRunner.RunResult build = passed(gh.run(WF + "build.yml", "push", Map.of()));
        assertThat(build.jobs().get("model").outputs()).containsEntry("model_version", version);
        assertThat(build.summaries()).contains("### Gate: passed", "### Registered", "version **" + version + "**");
        assertThat(box.alias("candidate")).isEqualTo(version);

        LocalActionsRunner.RunResult staging = passed(gh.run(WF + "deploy-staging.yml", "workflow_run",
                Map.of("workflow_run", Map.of("conclusion", "success", "id", build.runId(),
                        "head_sha", box.git("rev-parse", "HEAD")))));
        assertThat(staging.summaries()).contains("### Release deploy to staging: SUCCEEDED", "| modelVersion | " + version + " |",
                "| image | ghcr.io/example/mlops-serve:" + box.git("rev-parse", "HEAD") + " |");
        assertThat(box.alias("staging")).isEqualTo(version);

        LocalActionsRunner.RunResult prod = passed(gh.run(WF + "deploy-production.yml", "workflow_dispatch",
                Map.of("inputs", Map.of("model_version", version, "image_tag", ""))));
        assertThat(prod.summaries()).contains("### Release deploy to production: SUCCEEDED");
        assertThat(prod.logs()).contains("-- skip Roll back when the release landed but verification failed");
        assertThat(box.alias("production")).isEqualTo(version);
    }

    private static LocalActionsRunner.RunResult passed(LocalActionsRunner.RunResult r) {
        assertThat(r.succeeded()).as("%s:\n%s", r.workflow(), GitlabPipelineRunTest.tail(r.logs())).isTrue();
        return r;
    }
}
