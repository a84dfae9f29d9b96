package dev.mlops.engine.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * Who runs this build, where its log lives and which commit it builds, derived from the CI variables the front end
 * passed in: Jenkins ({@code GIT_COMMIT}, {@code BUILD_URL}, {@code BUILD_USER_ID}), GitHub Actions ({@code GITHUB_SHA},
 * {@code GITHUB_SERVER_URL}/{@code GITHUB_REPOSITORY}/{@code GITHUB_RUN_ID}, {@code GITHUB_ACTOR}) and GitLab CI
 * ({@code CI_COMMIT_SHA}, {@code CI_JOB_URL}, {@code GITLAB_USER_LOGIN}), then {@code USER}. Outside CI the commit is
 * what {@code git rev-parse HEAD} says in the project folder. Unknown values are null.
 */
public record BuildIdentity(String gitSha, String buildUrl, String who) {

    /** Explicit values (options, step parameters) win over what the CI variables say. */
    static BuildIdentity of(EngineContext ctx, Path repoDir, String gitSha, String buildUrl, String who) {
        String sha = first(gitSha, ctx.variable("GIT_COMMIT"), ctx.variable("GITHUB_SHA"), ctx.variable("CI_COMMIT_SHA"));
        if (sha == null && repoDir != null) {
            sha = gitHead(repoDir);
        }
        String url = first(buildUrl, ctx.variable("BUILD_URL"), githubRunUrl(ctx), ctx.variable("CI_JOB_URL"));
        String user = first(who, ctx.variable("BUILD_USER_ID"), ctx.variable("GITHUB_ACTOR"),
                ctx.variable("GITLAB_USER_LOGIN"), ctx.variable("USER"), ctx.variable("USERNAME"));
        return new BuildIdentity(sha, url, user);
    }

    private static String githubRunUrl(EngineContext ctx) {
        String run = ctx.variable("GITHUB_RUN_ID");
        String repo = ctx.variable("GITHUB_REPOSITORY");
        if (run == null || repo == null) {
            return null;
        }
        String server = ctx.variable("GITHUB_SERVER_URL");
        return (server == null ? "https://github.com" : server) + "/" + repo + "/actions/runs/" + run;
    }

    /**
     * The reproducible build time recorded as a model's training time (issue 8 §3.6; the convention of
     * https://reproducible-builds.org/specs/source-date-epoch/): {@code SOURCE_DATE_EPOCH} when the front end passed
     * it, else the commit time of {@code gitSha} (or of HEAD) in {@code repoDir}, else the epoch itself. The same
     * commit therefore always stamps the same time into its model file and metrics.
     */
    static Instant buildTime(EngineContext ctx, Path repoDir, String gitSha) {
        String epoch = ctx.variable("SOURCE_DATE_EPOCH");
        if (epoch != null) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(epoch));
            } catch (NumberFormatException | DateTimeException e) {
                throw new dev.mlops.engine.InputException("SOURCE_DATE_EPOCH: expected whole seconds since "
                        + "1970-01-01T00:00:00Z, got '" + epoch + "'");
            }
        }
        if (repoDir != null) {
            String seconds = gitSha == null ? null : git(repoDir, "log", "-1", "--format=%ct", gitSha);
            if (seconds == null) {
                seconds = git(repoDir, "log", "-1", "--format=%ct", "HEAD");
            }
            if (seconds != null && seconds.matches("\\d+")) {
                return Instant.ofEpochSecond(Long.parseLong(seconds));
            }
        }
        return Instant.EPOCH;
    }

    /** The commit checked out in {@code dir}, or null when git or a repository is not there. */
    static String gitHead(Path dir) {
        String s = git(dir, "rev-parse", "HEAD");
        return s != null && s.matches("[0-9a-f]{40}") ? s : null;
    }

    /** A git command's trimmed output in {@code dir}, or null when it fails (no git, no repository, no such commit). */
    private static String git(Path dir, String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (p.waitFor(5, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return new String(out, StandardCharsets.UTF_8).trim();
            }
            p.destroyForcibly();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private static String first(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
