package dev.mlops.engine.train;

import dev.mlops.engine.Log;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 9 §20: a fit that reports nothing itself (a Tribuo trainer) still shows it is alive, with the elapsed time. */
class HeartbeatTest {

    @Test
    void saysWhenItStartsThenRepeatsWithTheElapsedTimeUntilClosed() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Log log = new Log() {
            @Override public void info(String m) { }
            @Override public void warn(String m) { }
            @Override public void progress(String task, long done, long total, String detail) {
                lines.add(task + " " + detail);
            }
        };
        try (Heartbeat beat = new Heartbeat(log, "fit", "forest trees=50 on 80 rows", 10)) {
            assertThat(lines).containsExactly("fit forest trees=50 on 80 rows: started");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); // a loaded machine may be slow to tick
            while (lines.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertThat(lines).hasSizeGreaterThanOrEqualTo(3);
        assertThat(lines.subList(1, lines.size()))
                .allMatch(l -> l.matches("fit forest trees=50 on 80 rows: still fitting, \\d+ s"));
        Thread.sleep(100); // ten periods after close: no further line
        int closedAt = lines.size();
        Thread.sleep(100);
        assertThat(lines).hasSize(closedAt);
    }
}
