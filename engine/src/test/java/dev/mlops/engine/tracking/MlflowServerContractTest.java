package dev.mlops.engine.tracking;

import org.junit.jupiter.api.AfterEach;

import java.time.Duration;

class MlflowServerContractTest extends TrackerContractTest {
    private MlflowTestServer server;

    @Override
    Tracker newTracker() {
        server = MlflowTestServer.start();
        return new MlflowServer(server.uri(), TrackingCredentials.NONE, Timeouts.DEFAULTS, new RecordingLog(),
                new TickingClock(), new MlflowServer.Retry(3, Duration.ofMillis(1)));
    }

    @AfterEach
    void stop() {
        server.close();
    }
}
