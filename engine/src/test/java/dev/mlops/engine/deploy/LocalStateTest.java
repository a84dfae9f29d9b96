package dev.mlops.engine.deploy;

import dev.mlops.engine.InfraException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local target's lock file and ledger file, without starting model servers. */
class LocalStateTest {
    @TempDir
    Path dir;

    private LocalTarget target(FakeClock clock, ListLog log) {
        return target(clock, log, LocalTarget.PRODUCTION);
    }

    private LocalTarget target(FakeClock clock, ListLog log, String environment) {
        return new LocalTarget("demo", new LocalTarget.Config(dir, environment, 18080, List.of("server"),
                List.of("proxy", "{stateDir}"), null), new HttpServerClient(Duration.ofSeconds(1)), log, clock);
    }

    private static Release release(String id, String version, Outcome o) {
        return new Release(id, "deploy", "demo", Color.BLUE, "local", "m", version, null, null, "a", null,
                "2026-11-25T01:00:00Z", null, o, null, null, null);
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

    /** Issue 9 §9: a deploy killed with -9 no longer blocks the next one for the lock's TTL. */
    @Test
    void aLockWhoseHolderWasKilledIsTakenOverAtOnceAndALiveHolderStillBlocks() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process holder = new ProcessBuilder(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                LockHolderMain.class.getName(), dir.toString(), LocalTarget.PRODUCTION).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            ListLog log = new ListLog();
            LocalTarget next = target(new FakeClock(Instant.now()), log);
            assertThatThrownBy(() -> next.lock().acquire("ci-run-42", null, Duration.ofSeconds(90)))
                    .isInstanceOf(InfraException.class).hasMessageContaining("held by ci-run-41");

            holder.destroyForcibly(); // SIGKILL: no finally block, no lock release
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
            LockInfo mine = next.lock().acquire("ci-run-42", null, Duration.ofSeconds(90));
            assertThat(mine.holder()).isEqualTo("ci-run-42");
            assertThat(log.text()).contains("taking over the deploy lock of ci-run-41 (https://ci/job/41)",
                    "at once: its process (pid " + holder.pid() + " on ", ") is gone");
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aLockHeldFromAnotherMachineOrAnOlderVersionWaitsForItsExpiry() throws Exception {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        ListLog log = new ListLog();
        Path env = dir.resolve(LocalTarget.PRODUCTION);
        Files.createDirectories(env);
        // A pid that surely does not run here, but on another machine: it may well be alive there.
        Files.writeString(env.resolve("deploy.lock"), "{\"holder\":\"carol\",\"buildUrl\":null,\"token\":\"t1\","
                + "\"acquiredAt\":\"2026-11-25T00:59:00Z\",\"expiresAt\":\"2026-11-25T01:00:30Z\","
                + "\"process\":{\"pid\":999999999,\"machine\":\"build-agent-7\",\"started\":null}}");
        LocalTarget t = target(clock, log);
        assertThatThrownBy(() -> t.lock().acquire("dave", null, Duration.ofSeconds(60))).hasMessageContaining("carol");
        Files.writeString(env.resolve("deploy.lock"), "{\"holder\":\"erin\",\"buildUrl\":null,\"token\":\"t2\","
                + "\"acquiredAt\":\"2026-11-25T00:59:00Z\",\"expiresAt\":\"2026-11-25T01:00:30Z\"}");
        assertThatThrownBy(() -> t.lock().acquire("dave", null, Duration.ofSeconds(60))).hasMessageContaining("erin");
        clock.advance(Duration.ofSeconds(31));
        assertThat(t.lock().acquire("dave", null, Duration.ofSeconds(60)).holder()).isEqualTo("dave");
    }

    @Test
    void anAbortRequestReachesTheHolderAndSurvivesItsRenewals() {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        LocalTarget a = target(clock, new ListLog());
        LocalTarget b = target(clock, new ListLog());
        assertThat(b.lock().requestAbort("bob")).as("nothing held: nothing to ask").isEmpty();
        LockInfo held = a.lock().acquire("alice", null, Duration.ofSeconds(60));
        assertThat(b.lock().requestAbort("bob")).map(LockInfo::abortRequestedBy).contains("bob");
        clock.advance(Duration.ofSeconds(40));
        a.lock().renew(held, Duration.ofSeconds(60));
        assertThat(a.lock().current()).map(LockInfo::abortRequestedBy).contains("bob");
        a.lock().release(held);
        assertThat(a.lock().acquire("carol", null, Duration.ofSeconds(60)).abortRequestedBy()).isNull();
    }

    /** Issue 9 §13: a corrupt ledger is read as empty with a warning, and copied aside before it is replaced. */
    @Test
    void aCorruptLedgerIsKeptAsideBeforeTheNextWriteReplacesIt() throws Exception {
        ListLog log = new ListLog();
        LocalTarget t = target(new FakeClock(Instant.parse("2026-11-25T01:00:00Z")), log);
        Path file = t.stateDir().resolve("releases.json");
        Files.writeString(file, "[{\"id\":");
        assertThat(t.ledger().read()).isEmpty();
        assertThat(log.text()).contains("releases.json is corrupt");
        Release r = release("r1", "1", Outcome.SUCCEEDED);
        t.ledger().write(List.of(r));
        assertThat(t.ledger().read()).containsExactly(r);
        assertThat(t.stateDir().resolve("releases.json.corrupt-20261125T010000Z")).hasContent("[{\"id\":");
        assertThat(log.text()).contains("kept as releases.json.corrupt-20261125T010000Z");
        try (var files = Files.list(t.stateDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void theLedgerKeepsTheLastGoodReleasesWhateverFailsInBetween() {
        List<Release> ledger = new ArrayList<>();
        ledger.add(release("r1", "1", Outcome.SUCCEEDED));
        ledger.add(0, release("r2", "2", Outcome.ROLLED_BACK));
        List<Release> now = List.copyOf(ledger);
        for (int i = 0; i < 9; i++) {
            now = Ledger.upsert(now, release("f" + i, "9", Outcome.FAILED), 5);
        }
        now = Ledger.upsert(now, release("p", "10", Outcome.IN_PROGRESS), 5);
        assertThat(now).extracting(Release::id).containsExactly("p", "f8", "f7", "f6", "f5", "f4", "r2", "r1");
    }

    @Test
    void theEntriesTheColorsRunAreKeptHoweverManyReleasesServedSince() {
        List<Release> now = List.of(release("blue-1", "1", Outcome.ROLLED_BACK));
        now = Ledger.put(now, release("green-2", "2", Outcome.ROLLED_BACK));
        for (int i = 0; i < 8; i++) {
            now = Ledger.retain(Ledger.put(now, release("flip" + i, i % 2 == 0 ? "1" : "2", Outcome.SUCCEEDED)), 5,
                    java.util.Set.of("blue-1", "green-2"));
        }
        assertThat(now).extracting(Release::id)
                .containsExactly("flip7", "flip6", "flip5", "flip4", "flip3", "green-2", "blue-1");
        assertThat(Ledger.retain(now, 5)).extracting(Release::id).doesNotContain("green-2", "blue-1");
    }

    /** Issue 9 §5: the admin secret only its owner can read, in a folder only its owner can enter. */
    @Test
    void theStateFolderIsOwnerOnlyAndTheProxySecretIsReadableByItsOwnerAlone() throws Exception {
        Path env = dir.resolve(LocalTarget.PRODUCTION);
        LocalState st = new LocalState(env);
        st.create();
        String secret = st.secret().reveal();
        assertThat(secret).hasSize(64);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
                .isEqualTo("rwx------");
        Path file = env.resolve(LocalState.SECRET_FILE);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(LocalState.readSecret(env).map(dev.mlops.engine.Secret::reveal)).contains(secret);
        // A secret others could read is worthless: the proxy refuses it, and the next deployer replaces it.
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(LocalState.readSecret(env)).isEmpty();
        String rotated = st.secret().reveal();
        assertThat(rotated).isNotEqualTo(secret);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    /** Issue 9 §4: each environment has its own folder, lock and ledger. */
    @Test
    void environmentsHaveTheirOwnStateFolderLockAndLedger() {
        FakeClock clock = new FakeClock(Instant.parse("2026-11-25T01:00:00Z"));
        LocalTarget prod = target(clock, new ListLog(), LocalTarget.PRODUCTION);
        LocalTarget staging = target(clock, new ListLog(), LocalTarget.STAGING);
        assertThat(prod.stateDir()).isEqualTo(dir.resolve("production"));
        assertThat(staging.stateDir()).isEqualTo(dir.resolve("staging"));
        prod.lock().acquire("alice", null, Duration.ofSeconds(60));
        assertThat(staging.lock().acquire("bob", null, Duration.ofSeconds(60)).holder()).isEqualTo("bob");
        prod.ledger().write(List.of(release("r1", "1", Outcome.SUCCEEDED)));
        assertThat(staging.ledger().read()).isEmpty();
        assertThat(staging.describe()).contains("staging environment of demo");
    }

    @Test
    void productionStateOfTheOlderSingleFolderLayoutMovesIntoItsEnvironmentFolder() throws Exception {
        Files.writeString(dir.resolve("releases.json"), DeployJson.write(List.of(release("r1", "1", Outcome.SUCCEEDED))));
        ListLog log = new ListLog();
        LocalTarget prod = target(new FakeClock(Instant.parse("2026-11-25T01:00:00Z")), log);
        assertThat(prod.ledger().read()).extracting(Release::id).containsExactly("r1");
        assertThat(dir.resolve("releases.json")).doesNotExist();
        assertThat(log.text()).contains("moved production's state [releases.json]");
    }

    @Test
    void aModelFileThatDoesNotExistIsRefusedBeforeAnythingStarts() {
        LocalTarget t = target(new FakeClock(Instant.parse("2026-11-25T01:00:00Z")), new ListLog());
        DeployConfig c = new DeployConfig("demo", "local", "m", "3", dir.resolve("nope.tribuo").toString(), null, 1, 1,
                null, null, null, null, null, null, null, "a", null, null);
        assertThatThrownBy(() -> t.preflight(c)).isInstanceOf(dev.mlops.engine.InputException.class)
                .hasMessageContaining("nope.tribuo does not exist");
    }
}
