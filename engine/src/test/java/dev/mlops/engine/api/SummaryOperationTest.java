package dev.mlops.engine.api;

import dev.mlops.engine.InputException;
import dev.mlops.engine.testing.Fifos;
import dev.mlops.engine.tracking.RecordingLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code mlops summary}: what a pipeline's {@code VERSION=$(mlops summary --field version register.json)} gets when the
 * file is not what it expects. It must fail with a reason, never print an empty value silently or wait forever.
 */
class SummaryOperationTest {
    @TempDir
    Path dir;

    private final RecordingLog log = new RecordingLog();

    private Engine engine() {
        return new Engine(EngineContext.of(dir, log));
    }

    @Test
    void aFieldIsReadFromAResult() throws Exception {
        Files.writeString(dir.resolve("register.json"), "{\"name\": \"cancer\", \"version\": \"3\", \"exitCode\": 0}");

        SummaryResult r = engine().summarize(new SummaryRequest(List.of("register.json")).withField("version"));

        assertThat(r.text()).isEqualTo("3");
        assertThat(r.exitCode()).isZero();
    }

    @Test
    void anAbsentFieldFailsAndSaysWhichFieldOfWhichFile() throws Exception {
        Files.writeString(dir.resolve("register.json"), "{\"name\": \"cancer\", \"exitCode\": 0}");

        SummaryResult r = engine().summarize(new SummaryRequest(List.of("register.json")).withField("version"));

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.text()).isNull();
        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("WARN").contains("register.json")
                .contains("'version'"));
    }

    @Test
    void aFieldOfAFileThatIsNotAResultIsAnInputErrorNamingTheFile() throws Exception {
        Files.writeString(dir.resolve("register.json"), "mlops: building the command line...\n");

        assertThatThrownBy(() -> engine().summarize(new SummaryRequest(List.of("register.json")).withField("version")))
                .isInstanceOf(InputException.class).hasMessageContaining("register.json").hasMessageContaining("JSON");
    }

    @Test
    void aFieldOfAMissingFileIsAnInputErrorNamingTheFile() {
        assertThatThrownBy(() -> engine().summarize(new SummaryRequest(List.of("register.json")).withField("version")))
                .isInstanceOf(InputException.class).hasMessageContaining("register.json")
                .hasMessageContaining("no result");
    }

    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aPipeIsRefusedInsteadOfReadForever() throws Exception {
        Path fifo = Fifos.make(dir.resolve("gate.json"));

        assertThatThrownBy(() -> engine().summarize(new SummaryRequest(List.of(fifo.toString()))))
                .isInstanceOf(InputException.class).hasMessageContaining("not a regular file");
        assertThatThrownBy(() -> engine().summarize(new SummaryRequest(List.of(fifo.toString())).withField("passed")))
                .isInstanceOf(InputException.class).hasMessageContaining("not a regular file");
    }

    @Test
    void markdownOfAStepThatNeverRanSaysSoAndStillSucceeds() throws Exception {
        Files.writeString(dir.resolve("gate.json"), "{\"other\": 1}");

        SummaryResult r = engine().summarize(new SummaryRequest(List.of("gate.json", "deploy.json")));

        assertThat(r.exitCode()).isZero();
        assertThat(r.text()).contains("**deploy.json**: no result");
    }
}
