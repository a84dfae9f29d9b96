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
}
