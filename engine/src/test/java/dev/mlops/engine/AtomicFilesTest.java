package dev.mlops.engine;

import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.testing.TestModels;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Files written for others to read (models, reports, registry files) get the mode any new file gets under the
 * process's umask (0644 under the usual 022), so a model mounted read-only into a container running as another user
 * can be read. Only secrets are written owner-only.
 */
class AtomicFilesTest {
    @TempDir
    Path dir;

    /** What the umask gives a plain new file here; Java cannot read the umask directly. */
    Set<PosixFilePermission> umaskMode;

    @BeforeEach
    void probeUmask() throws IOException {
        assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
        umaskMode = Files.getPosixFilePermissions(Files.createFile(dir.resolve("probe")));
    }

    private static Set<PosixFilePermission> mode(Path p) throws IOException {
        return Files.getPosixFilePermissions(p);
    }

    @Test
    void sharedArtifactsGetTheUmaskModeNotOwnerOnly() throws Exception {
        assumeThat(umaskMode).as("umask lets others read new files (022)").contains(PosixFilePermission.OTHERS_READ);

        Path model = dir.resolve("out/model.tribuo");
        TestModels.writeLinearModel(model, "demo", "abc123"); // ModelArtifact.save
        assertThat(mode(model)).isEqualTo(umaskMode).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));

        Path report = dir.resolve("out/gate.json");
        AtomicFiles.writeString(report, "{}");
        assertThat(mode(report)).isEqualTo(umaskMode);

        // A writer that replaces the temp file (Files.copy, as the registry download does) from an owner-only source.
        Path privateSource = Files.writeString(dir.resolve("src.bin"), "bytes");
        Files.setPosixFilePermissions(privateSource, PosixFilePermissions.fromString("rw-------"));
        Path copied = dir.resolve("mlruns/artifacts/model.tribuo");
        AtomicFiles.write(copied, temp -> Files.copy(privateSource, temp, StandardCopyOption.REPLACE_EXISTING));
        assertThat(mode(copied)).isEqualTo(umaskMode);
        assertThat(ModelArtifact.sha256(model)).hasSize(64);
    }

    @Test
    void replacingAnOwnerOnlyFileGivesTheUmaskMode() throws Exception {
        Path file = Files.writeString(dir.resolve("run.json"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(file, "new");
        assertThat(Files.readString(file)).isEqualTo("new");
        assertThat(mode(file)).isEqualTo(umaskMode);
    }

    @Test
    void secretsAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path secret = dir.resolve("state/admin.secret");
        AtomicFiles.writePrivate(secret, "s3cr3t".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(Files.readString(secret)).isEqualTo("s3cr3t");
        assertThat(mode(secret)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void aFailedWriteLeavesNeitherTheTargetNorATempFile() throws Exception {
        Path target = dir.resolve("x/run.json");
        try {
            AtomicFiles.write(target, temp -> {
                Files.writeString(temp, "half");
                throw new IOException("disk full");
            });
        } catch (java.io.UncheckedIOException expected) {
            assertThat(expected.getMessage()).contains("run.json").contains("disk full");
        }
        assertThat(target).doesNotExist();
        try (var files = Files.list(target.getParent())) {
            assertThat(files).isEmpty();
        }
    }
}
