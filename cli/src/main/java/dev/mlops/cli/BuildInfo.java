package dev.mlops.cli;

import dev.mlops.engine.Log;
import dev.mlops.engine.pipeline.RunContext;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the front end knows about the build: the commit, the build URL and the user. Read here, at the edge, from
 * the CI's environment (Jenkins: GIT_COMMIT, BUILD_URL; GitHub Actions: GITHUB_SHA and the run URL) or from git,
 * and handed to the engine as values.
 */
public final class BuildInfo {
    private BuildInfo() {
    }

    public static RunContext context(String gitShaOption, Path workDir, Log log) {
        return context(gitShaOption, workDir, log, System.getenv());
    }

    static RunContext context(String gitShaOption, Path workDir, Log log, Map<String, String> env) {
        String sha = firstNonBlank(gitShaOption, env.get("GIT_COMMIT"), env.get("GITHUB_SHA"));
        if (sha == null) {
            sha = gitHead(workDir);
        }
        String url = env.get("BUILD_URL");
        if (isBlank(url) && !isBlank(env.get("GITHUB_RUN_ID"))) {
            url = env.getOrDefault("GITHUB_SERVER_URL", "https://github.com") + "/" + env.get("GITHUB_REPOSITORY")
                    + "/actions/runs/" + env.get("GITHUB_RUN_ID");
        }
        String user = firstNonBlank(env.get("BUILD_USER_ID"), env.get("GITHUB_ACTOR"), System.getProperty("user.name"));
        return new RunContext(sha, url, user, Clock.systemUTC(), log, buildTime(env, workDir, sha));
    }

    /**
     * The reproducible build time (https://reproducible-builds.org/specs/source-date-epoch/): {@code SOURCE_DATE_EPOCH}
     * when set, else the commit time of the commit being built, else the epoch itself, so the same commit always
     * stamps the same time into its model.
     */
    static Instant buildTime(Map<String, String> env, Path workDir, String sha) {
        String epoch = env.get("SOURCE_DATE_EPOCH");
        if (!isBlank(epoch)) {
            try {
                return Instant.ofEpochSecond(Long.parseLong(epoch.trim()));
            } catch (NumberFormatException | java.time.DateTimeException e) {
                throw new dev.mlops.engine.InputException("SOURCE_DATE_EPOCH: expected whole seconds since "
                        + "1970-01-01T00:00:00Z, got '" + epoch + "'");
            }
        }
        String seconds = git(workDir, "log", "-1", "--format=%ct", sha == null ? "HEAD" : sha);
        if (seconds == null && sha != null) {
            seconds = git(workDir, "log", "-1", "--format=%ct", "HEAD");
        }
        if (seconds != null && seconds.matches("\\d+")) {
            return Instant.ofEpochSecond(Long.parseLong(seconds));
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

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (!isBlank(v)) {
                return v.trim();
            }
        }
        return null;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
