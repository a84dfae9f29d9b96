package dev.mlops.engine.tracking;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrackersTest {
    @TempDir
    Path tmp;

    private Tracker open(String uri) {
        return Trackers.open(uri, tmp, TrackingCredentials.NONE, Timeouts.DEFAULTS, Log.NONE);
    }

    @Test
    void plainPathIsALocalStoreRelativeToTheSpecFolder() {
        Tracker t = open("mlruns");
        assertThat(t).isInstanceOf(LocalStore.class);
        assertThat(((LocalStore) t).root()).isEqualTo(tmp.resolve("mlruns").toAbsolutePath().normalize());
        assertThat(tmp.resolve("mlruns")).doesNotExist(); // nothing is written before the first run
        t.startRun("e", "r", java.util.Map.of());
        assertThat(tmp.resolve("mlruns/0/meta.yaml")).isRegularFile();
    }

    @Test
    void fileUriIsALocalStore() {
        Path dir = tmp.resolve("elsewhere");
        Tracker t = open(dir.toUri().toString());
        assertThat(t).isInstanceOf(LocalStore.class);
        assertThat(((LocalStore) t).root()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(((LocalStore) open("file:rel")).root()).isEqualTo(tmp.resolve("rel").toAbsolutePath().normalize());
    }

    @Test
    void httpIsAServerAndNothingIsContactedOnOpen() {
        Tracker t = open("http://user:pw@127.0.0.1:1/");
        assertThat(t).isInstanceOf(MlflowServer.class);
        assertThat(t.describe()).isEqualTo("http://127.0.0.1:1");
    }

    @Test
    void unsupportedSchemeOrEmptyUriIsInputError() {
        assertThatThrownBy(() -> open("s3://u:secretpw@bucket/x")).isInstanceOf(InputException.class)
                .hasMessageContaining("s3://bucket/x").hasMessageNotContaining("secretpw");
        assertThatThrownBy(() -> open(" ")).isInstanceOf(InputException.class).hasMessageContaining("tracking URI");
    }

    @Test
    void aTokenForAPlainHttpServerIsWarnedAboutAndNeverEchoed() throws Exception {
        String token = "tok-echoed-7c1f2e9a";
        TrackingCredentials creds = new TrackingCredentials(dev.mlops.engine.Secret.of(token), null, null);
        try (dev.mlops.engine.testing.EchoingServer server = dev.mlops.engine.testing.EchoingServer.plain(400)) {
            RecordingLog log = new RecordingLog();
            Tracker t = Trackers.open(server.url(), tmp, creds, Timeouts.DEFAULTS, log);
            assertThat(String.join("\n", log.lines())).contains("WARN tracking: credentials are sent to " + server.url()
                    + " over plain http");
            Throwable e = org.assertj.core.api.Assertions.catchThrowable(() -> t.registeredModelExists("m"));
            assertThat(server.authorizations()).contains("Bearer " + token);
            assertThat(e).isNotNull();
            assertThat(e.getMessage()).doesNotContain(token);
            assertThat(String.join("\n", log.lines())).doesNotContain(token);
        }
        RecordingLog none = new RecordingLog();
        Trackers.open("https://mlflow.example", tmp, creds, Timeouts.DEFAULTS, none);
        Trackers.open("http://mlflow.example", tmp, TrackingCredentials.NONE, Timeouts.DEFAULTS, none);
        assertThat(String.join("\n", none.lines())).doesNotContain("plain http");
    }
}
