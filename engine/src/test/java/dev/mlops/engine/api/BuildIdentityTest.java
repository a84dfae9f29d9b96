package dev.mlops.engine.api;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who, build URL and commit come from the CI variables the front end passes, for each CI the product supports. */
class BuildIdentityTest {
    @TempDir
    Path dir;

    private BuildIdentity identity(Map<String, String> ci) {
        return BuildIdentity.of(EngineContext.of(dir, Log.NONE).withCi(ci), dir, null, null, null);
    }

    @Test
    void jenkins() {
        assertThat(identity(Map.of("GIT_COMMIT", "a1", "BUILD_URL", "https://ci/job/app/7/", "BUILD_USER_ID", "alice",
                "USER", "jenkins"))).isEqualTo(new BuildIdentity("a1", "https://ci/job/app/7/", "alice"));
    }

    @Test
    void githubActions() {
        assertThat(identity(Map.of("GITHUB_SHA", "b2", "GITHUB_SERVER_URL", "https://github.com",
                "GITHUB_REPOSITORY", "acme/app", "GITHUB_RUN_ID", "42", "GITHUB_ACTOR", "octo", "USER", "runner")))
                .isEqualTo(new BuildIdentity("b2", "https://github.com/acme/app/actions/runs/42", "octo"));
    }

    @Test
    void gitlabCi() {
        assertThat(identity(Map.of("CI_COMMIT_SHA", "c3", "CI_JOB_URL", "https://gitlab.example/acme/app/-/jobs/5",
                "GITLAB_USER_LOGIN", "gl", "USER", "root")))
                .isEqualTo(new BuildIdentity("c3", "https://gitlab.example/acme/app/-/jobs/5", "gl"));
    }

    @Test
    void explicitValuesWinAndOutsideCiTheOsUserIsWho() {
        EngineContext ctx = EngineContext.of(dir, Log.NONE).withCi(Map.of("GIT_COMMIT", "a1", "USER", "bob"));
        assertThat(BuildIdentity.of(ctx, dir, "f00", "https://x/1", "carol"))
                .isEqualTo(new BuildIdentity("f00", "https://x/1", "carol"));
        // not a git repository and no CI: commit and URL unknown
        assertThat(identity(Map.of("USER", "bob"))).isEqualTo(new BuildIdentity(null, null, "bob"));
    }

    @Test
    void theContextKeepsOnlyTheVariablesItNeedsSoNoSecretRidesAlong() {
        EngineContext ctx = EngineContext.of(dir, Log.NONE).withCi(Map.of("GIT_COMMIT", "a1",
                "MLFLOW_TRACKING_TOKEN", "tok-S3CRET", "MLOPS_KUBE_TOKEN", "kube-S3CRET", "AWS_SECRET_ACCESS_KEY", "x"));
        assertThat(ctx.ci()).containsOnlyKeys("GIT_COMMIT");
        assertThat(ctx.toString()).doesNotContain("S3CRET");
    }

    // ---- issue 8 §3.6: the reproducible build time stamped into a model ----------------------------------------

    @Test
    void buildTimeIsSourceDateEpochWhenSet() {
        EngineContext ctx = EngineContext.of(dir, Log.NONE).withCi(Map.of("SOURCE_DATE_EPOCH", "1700000000"));
        assertThat(BuildIdentity.buildTime(ctx, dir, null)).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }

    @Test
    void buildTimeIsElseTheCommitTimeOfTheRepository() throws Exception {
        // the engine module is built inside the project's git checkout
        Path repo = Path.of("").toAbsolutePath();
        Process p = new ProcessBuilder("git", "log", "-1", "--format=%ct", "HEAD").directory(repo.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            return; // not a git checkout (a source tarball): nothing to compare with
        }
        EngineContext ctx = EngineContext.of(repo, Log.NONE);
        assertThat(BuildIdentity.buildTime(ctx, repo, null)).isEqualTo(Instant.ofEpochSecond(Long.parseLong(out)));
        // a commit this checkout does not have (a CI variable from elsewhere): HEAD's time
        assertThat(BuildIdentity.buildTime(ctx, repo, "0".repeat(40)))
                .isEqualTo(Instant.ofEpochSecond(Long.parseLong(out)));
    }

    @Test
    void buildTimeIsElseTheEpoch() {
        assertThat(BuildIdentity.buildTime(EngineContext.of(dir, Log.NONE), dir, null)).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aBadSourceDateEpochIsAnInputError() {
        EngineContext ctx = EngineContext.of(dir, Log.NONE).withCi(Map.of("SOURCE_DATE_EPOCH", "yesterday"));
        assertThatThrownBy(() -> BuildIdentity.buildTime(ctx, dir, null)).isInstanceOf(InputException.class)
                .hasMessageContaining("SOURCE_DATE_EPOCH").hasMessageContaining("'yesterday'");
    }
}
