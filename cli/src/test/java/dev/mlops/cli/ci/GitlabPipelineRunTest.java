package dev.mlops.cli.ci;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs this repository's generated {@code .gitlab-ci.yml} with gitlab-ci-local 4.64.1 and its shell executor (each
 * job in its own copy of the clone, artifacts and dotenv reports passed as on GitLab), on the local deploy target:
 * validate → train → gate → register → staging, the manual production job; a second commit's pipeline releases
 * version 2; the manual rollback job takes production back to version 1. Each job must pass and the registry's
 * aliases must move with traffic. The build and scan jobs need a container engine and are not run.
 *
 * <p>gitlab-ci-local is installed by {@code .ci/run} (into {@code .ci/.tools}); without it, or without rsync, this is
 * skipped, so a fresh {@code ./mvnw verify} still passes.
 */
class GitlabPipelineRunTest {
    static final List<String> NOT_RUN = List.of("build-image (kaniko image: needs a container engine)",
            "scan-image (trivy image: needs a container engine)");

    @TempDir
    Path tmp;

    static Path tool() {
        String prop = System.getProperty("mlops.gitlabCiLocal");
        Path p = prop != null ? Path.of(prop)
                : PipelineSandbox.repoRoot().resolve(".ci/.tools/node_modules/.bin/gitlab-ci-local");
        return Files.isExecutable(p) ? p : null;
    }

    @Test
    void theGeneratedPipelineDeploysStagingProductionAndRollsBack() {
        Path gcl = tool();
        assumeTrue(gcl != null, "gitlab-ci-local is not installed (.ci/run installs it)");
        assumeTrue(PipelineSandbox.run(List.of("rsync", "--version"), tmp, Map.of(), 30).exitCode() == 0, "no rsync");
        try (PipelineSandbox box = new PipelineSandbox(tmp, List.of(".gitlab-ci.yml", ".gitlab/ci/setup-mlops.yml",
                "examples/breast-cancer/mlops.yaml", "examples/breast-cancer/data"))) {
            System.out.println("gitlab-ci-local run; jobs not run: " + NOT_RUN);
            pipeline(gcl, box, List.of("validate-data", "train", "deploy-staging"));
            assertThat(box.alias("candidate")).isEqualTo("1");
            assertThat(box.alias("staging")).isEqualTo("1");
            assertThat(box.alias("production")).isNull();

            manual(gcl, box, "deploy-production");
            assertThat(box.alias("production")).isEqualTo("1");

            box.commit("a second commit: a new pipeline trains and releases version 2");
            pipeline(gcl, box, List.of("train", "deploy-staging"));
            assertThat(box.alias("candidate")).isEqualTo("2");
            assertThat(box.alias("staging")).isEqualTo("2");
            assertThat(box.alias("production")).isEqualTo("1");
            manual(gcl, box, "deploy-production");
            assertThat(box.alias("production")).isEqualTo("2");

            String log = manual(gcl, box, "rollback-production");
            assertThat(box.alias("production")).as("the rollback moves production back").isEqualTo("1");
            assertThat(box.alias("staging")).isEqualTo("2");
            assertThat(log).contains("### Release rollback to production: SUCCEEDED", "traffic on");
        }
    }

    private String pipeline(Path gcl, PipelineSandbox box, List<String> jobs) {
        List<String> args = new ArrayList<>(jobs);
        String out = gitlabCiLocal(gcl, box, args);
        for (String job : jobs) {
            assertThat(out).as("job %s passed", job).containsPattern("PASS\\s+" + job + "\\b");
        }
        return out;
    }

    private String manual(Path gcl, PipelineSandbox box, String job) {
        String out = gitlabCiLocal(gcl, box, List.of("--manual", job, job));
        assertThat(out).as("manual job %s passed", job).containsPattern("PASS\\s+" + job + "\\b");
        return out;
    }

    private String gitlabCiLocal(Path gcl, PipelineSandbox box, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(gcl.toString(), "--shell-isolation", "--concurrency", "1",
                "--no-color", "--max-job-name-padding", "0",
                "--variable", "MLFLOW_TRACKING_URI=" + box.registry,
                "--variable", "MLOPS_STATE_DIR=" + box.state,
                "--variable", "MLOPS_HOME=" + box.mlopsHome));
        cmd.addAll(args);
        PipelineSandbox.Run r = PipelineSandbox.run(cmd, box.repo, Map.of("HOME", tmp.toString()), 900);
        assertThat(r.exitCode()).as("gitlab-ci-local %s:\n%s", args, tail(r.output())).isZero();
        return r.output();
    }

    static String tail(String s) {
        return s.length() > 6000 ? "...\n" + s.substring(s.length() - 6000) : s;
    }
}
