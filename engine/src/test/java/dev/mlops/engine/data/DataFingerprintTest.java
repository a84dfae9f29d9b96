package dev.mlops.engine.data;

import dev.mlops.engine.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DataFingerprintTest {
    @TempDir
    Path dir;

    @Test
    void knownDigests() throws IOException {
        // FIPS 180-2 test vector for "abc", and the digest of no bytes.
        Path abc = Files.writeString(dir.resolve("abc.txt"), "abc");
        assertThat(DataFingerprint.sha256(abc))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        Path empty = Files.write(dir.resolve("empty"), new byte[0]);
        assertThat(DataFingerprint.sha256(empty))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void largerThanTheReadBufferAndSensitiveToOneByte() throws IOException {
        byte[] data = new byte[200_000];
        Path a = Files.write(dir.resolve("a"), data);
        data[150_000] = 1;
        Path b = Files.write(dir.resolve("b"), data);
        assertThat(DataFingerprint.sha256(a)).hasSize(64).isNotEqualTo(DataFingerprint.sha256(b));
    }

    @Test
    void missingFile() {
        assertThatThrownBy(() -> DataFingerprint.sha256(dir.resolve("gone.csv")))
                .isInstanceOf(InputException.class).hasMessageContaining("gone.csv").hasMessageContaining("not found");
    }
}
