package dev.mlops.engine.spec;

import dev.mlops.engine.InputException;
import dev.mlops.engine.tracking.Timeouts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code tracking.*} timeouts: defaults of seconds, checked bounds, errors naming the line and key. */
class TrackingSpecTest {
    @TempDir
    Path dir;

    private Path write(String tracking) throws Exception {
        return Files.writeString(dir.resolve("mlops.yaml"), "data: {path: d.csv, target: y}\ntracking:\n" + tracking);
    }

    @Test
    void timeoutsDefaultToSecondsNotMinutes() throws Exception {
        Timeouts t = SpecLoader.load(write("  uri: mlruns\n")).tracking().timeouts();
        assertThat(t).isEqualTo(Timeouts.DEFAULTS);
        assertThat(t.connect()).isEqualTo(Duration.ofSeconds(5));
        assertThat(t.request()).isEqualTo(Duration.ofSeconds(10));
        assertThat(t.deadline()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void timeoutsAreReadFromTheSpec() throws Exception {
        Timeouts t = SpecLoader.load(write("  connectTimeoutSeconds: 2\n  requestTimeoutSeconds: 4\n  deadlineSeconds: 9\n"))
                .tracking().timeouts();
        assertThat(t).isEqualTo(Timeouts.ofSeconds(2, 4, 9));
    }

    @Test
    void aDeadlineShorterThanOneRequestOrAZeroTimeoutIsRejected() throws Exception {
        Path shortDeadline = write("  requestTimeoutSeconds: 20\n  deadlineSeconds: 5\n");
        assertThatThrownBy(() -> SpecLoader.load(shortDeadline)).isInstanceOf(InputException.class)
                .hasMessageContaining("'tracking.deadlineSeconds'").hasMessageContaining("got 5");
        Path zero = write("  requestTimeoutSeconds: 0\n");
        assertThatThrownBy(() -> SpecLoader.load(zero)).isInstanceOf(InputException.class)
                .hasMessageContaining("'tracking.requestTimeoutSeconds'").hasMessageContaining("between 1 and 600");
    }
}
