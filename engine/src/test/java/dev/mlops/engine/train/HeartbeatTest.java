package dev.mlops.engine.train;

import dev.mlops.engine.tracking.RecordingLog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9 §20: a fit that reports nothing itself (a Tribuo trainer) still shows it is alive, with the elapsed time. */
class HeartbeatTest {

    @Test
    void saysWhenItStartsThenRepeatsWithTheElapsedTimeUntilClosed() throws Exception {
        RecordingLog log = new RecordingLog(); // thread-safe: the heartbeat writes from its own thread
        try (Heartbeat beat = new Heartbeat(log, "fit", "forest trees=50 on 80 rows", 10)) {
            assertThat(log.lines()).containsExactly("PROGRESS fit 0/-1 forest trees=50 on 80 rows: started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a loaded machine may be slow to tick
            while (log.lines().size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        List<String> lines = log.lines();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lines.subList(1, lines.size()))
                .allMatch(l -> l.matches("PROGRESS fit \\d+/-1 forest trees=50 on 80 rows: still fitting, \\d+ s"));
        Thread.sleep(100); // ten periods after close: no further line
        int closedAt = log.lines().size();
        Thread.sleep(100);
        assertThat(log.lines()).hasSize(closedAt);
    }
}
