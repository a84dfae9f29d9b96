package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local target's lock file and ledger file, without starting processes. */
class LocalStateTest {
    @TempDir
    Path dir;

    private LocalTarget target(FakeClock clock, ListLog log) {
        return new LocalTarget("demo", new LocalTarget.Config(dir, 18080, List.of("server"), List.of("proxy"), null),
                new HttpServerClient(Duration.ofSeconds(1)), log, clock);
    }

    @Test
    void lockIsExclusiveUntilItExpiresThenTakenOver() {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        ListLog log = new ListLog();
        LocalTarget a = target(clock, log);
        LocalTarget b = target(clock, log);
        LockInfo held = a.lock().acquire("alice", "https://ci/1", Duration.ofSeconds(60));
        assertThatThrownBy(() -> b.lock().acquire("bob", null, Duration.ofSeconds(60)))
                .isInstanceOf(InfraException.class).hasMessageContaining("held by alice (https://ci/1) until 2026-11-25T01:01:00Z");
        clock.advance(Duration.ofSeconds(30));
        held = a.lock().renew(held, Duration.ofSeconds(60));
        clock.advance(Duration.ofSeconds(45));
        assertThatThrownBy(() -> b.lock().acquire("bob", null, Duration.ofSeconds(60))).hasMessageContaining("alice");
        clock.advance(Duration.ofSeconds(20));
        LockInfo bob = b.lock().acquire("bob", null, Duration.ofSeconds(60));
        assertThat(log.text()).contains("taking over the expired deploy lock of alice");
        LockInfo stale = held;
        assertThatThrownBy(() -> a.lock().renew(stale, Duration.ofSeconds(60))).hasMessageContaining("taken over by bob");
        a.lock().release(stale); // not the holder any more: must not free bob's lock
        assertThat(b.lock().current()).map(LockInfo::holder).contains("bob");
        b.lock().release(bob);
        assertThat(b.lock().current()).isEmpty();
    }

    @Test
    void corruptLedgerFileReadsAsEmptyWithAWarningAndIsReplacedAtomically() throws Exception {
        ListLog log = new ListLog();
        LocalTarget t = target(new FakeClock(Instant.parse("2026-11-25T01:00:00Z")), log);
        Files.writeString(dir.resolve("releases.json"), "[{\"id\":");
        assertThat(t.ledger().read()).isEmpty();
        assertThat(log.text()).contains("releases.json is corrupt");
        Release r = new Release("r1", "deploy", "demo", Color.BLUE, "local", "m", "1", null, null, "a", null,
                "2026-11-25T01:00:00Z", null, Outcome.SUCCEEDED, null, null, null);
        t.ledger().write(List.of(r));
        assertThat(t.ledger().read()).containsExactly(r);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }
}
