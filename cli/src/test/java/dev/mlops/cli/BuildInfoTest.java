package dev.mlops.cli;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 8 §3.6: the build time the front end hands the engine, from the environment it was given. */
class BuildInfoTest {

    @Test
    void sourceDateEpochWins(@TempDir Path dir) {
        var ctx = BuildInfo.context("abc", dir, Log.NONE, Map.of("SOURCE_DATE_EPOCH", "1700000000"));
        assertThat(ctx.buildTime()).isEqualTo(Instant.ofEpochSecond(1_700_000_000L));
    }

    @Test
    void elseTheCommitTimeOfTheRepository() throws Exception {
        // this module is built inside the project's git checkout
        Path repo = Path.of("").toAbsolutePath();
        Process p = new ProcessBuilder("git", "log", "-1", "--format=%ct", "HEAD").directory(repo.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        if (p.waitFor() != 0 || out.isEmpty()) {
            return; // not a git checkout (a source tarball): nothing to compare with
        }
        var ctx = BuildInfo.context(null, repo, Log.NONE, Map.of());
        assertThat(ctx.buildTime()).isEqualTo(Instant.ofEpochSecond(Long.parseLong(out)));
    }

    @Test
    void elseAFixedTime(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("not-a-repo"));
        var ctx = BuildInfo.context(null, dir.resolve("not-a-repo"), Log.NONE, Map.of());
        assertThat(ctx.buildTime()).isEqualTo(Instant.EPOCH);
    }

    @Test
    void aBadSourceDateEpochIsAnInputError(@TempDir Path dir) {
        assertThatThrownBy(() -> BuildInfo.context(null, dir, Log.NONE, Map.of("SOURCE_DATE_EPOCH", "yesterday")))
                .isInstanceOf(InputException.class).hasMessageContaining("SOURCE_DATE_EPOCH")
                .hasMessageContaining("'yesterday'");
    }
}
