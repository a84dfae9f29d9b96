package dev.mlops.engine.deploy;

import dev.mlops.engine.Log;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** A deploy that takes the local lock and then hangs, run as its own JVM so a test can {@code kill -9} it. */
public final class LockHolderMain {
    private LockHolderMain() {
    }

    public static void main(String[] args) throws Exception {
        LocalTarget t = new LocalTarget("demo", new LocalTarget.Config(Path.of(args[0]), args[1], 18080,
                List.of("server"), List.of("proxy", "{stateDir}"), null), new HttpServerClient(Duration.ofSeconds(1)),
                Log.NONE, Clock.systemUTC());
        t.lock().acquire("ci-run-41", "https://ci/job/41", Duration.ofSeconds(90));
        System.out.println("locked");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
