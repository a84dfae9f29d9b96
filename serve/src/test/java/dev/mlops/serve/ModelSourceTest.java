package dev.mlops.serve;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.tracking.ModelVersion;
import dev.mlops.engine.tracking.Tracker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelSourceTest {
    @TempDir
    Path tmp;

    @Test
    void aFileIsServedUnderItsSchemaNameAndChecksumVersionUnlessOverridden() throws Exception {
        ServedModel m = ModelSource.resolve(Models.linear().toString(), () -> {
            throw new AssertionError("no tracker for a file");
        }, tmp, null, null, Log.NONE);
        assertThat(m.name()).isEqualTo("demo");
        assertThat(m.version()).isEqualTo(ModelArtifact.sha256(Models.linear()).substring(0, 12));
        assertThat(m.gitSha()).isEqualTo("abc1234");
        ServedModel o = ModelSource.resolve(Models.linear().toString(), () -> null, tmp, "credit", "v9", Log.NONE);
        assertThat(o.name()).isEqualTo("credit");
        assertThat(o.version()).isEqualTo("v9");
    }

    @Test
    void aRegistryModelIsDownloadedVerifiedAndAnnouncedWithItsRegistryVersion() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.add("credit", "3", "run-3", Models.linear(), ModelArtifact.sha256(Models.linear()), "production");
        ServedModel byAlias = ModelSource.resolve("models:/credit@production", registry::tracker, tmp.resolve("a"), null, null, Log.NONE);
        assertThat(byAlias.name()).isEqualTo("credit");
        assertThat(byAlias.version()).isEqualTo("3");
        assertThat(byAlias.sha256()).isEqualTo(ModelArtifact.sha256(Models.linear()));
        ServedModel byVersion = ModelSource.resolve("models:/credit/3", registry::tracker, tmp.resolve("b"), null, null, Log.NONE);
        assertThat(byVersion.version()).isEqualTo("3");
        assertThat(registry.closed).isEqualTo(2);
    }

    @Test
    void aChecksumMismatchIsRefused() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.add("credit", "4", "run-4", Models.linear(), "ab".repeat(32), "candidate");
        assertThatThrownBy(() -> ModelSource.resolve("models:/credit@candidate", registry::tracker, tmp, null, null, Log.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("checksum mismatch")
                .hasMessageContaining("ab".repeat(32))
                .hasMessageContaining(ModelArtifact.sha256(Models.linear()))
                .hasMessageContaining("refusing to serve");
    }

    @Test
    void aVersionWithoutChecksumTagIsRefused() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.add("credit", "5", "run-5", Models.linear(), null, "candidate");
        assertThatThrownBy(() -> ModelSource.resolve("models:/credit/5", registry::tracker, tmp, null, null, Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining(ModelVersion.SHA256_TAG)
                .hasMessageContaining("refusing to serve");
    }

    @Test
    void badReferencesAndMissingAliasesNameTheProblem() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        registry.add("credit", "3", "run-3", Models.linear(), ModelArtifact.sha256(Models.linear()), "production");
        assertThatThrownBy(() -> ModelSource.resolve("models:/credit@staging", registry::tracker, tmp, null, null, Log.NONE))
                .isInstanceOf(InputException.class).hasMessageContaining("has no alias 'staging'");
        for (String bad : List.of("models:/credit", "models:/", "models:/credit/", "models:/a/b/c", "models:/@x")) {
            assertThatThrownBy(() -> ModelSource.resolve(bad, registry::tracker, tmp, null, null, Log.NONE))
                    .as(bad).isInstanceOf(InputException.class).hasMessageContaining("expected models:/<name>@<alias>");
        }
        assertThatThrownBy(() -> ModelSource.resolve(tmp.resolve("missing.tribuo").toString(), registry::tracker, tmp, null, null,
                Log.NONE)).isInstanceOf(InputException.class).hasMessageContaining("not found");
    }

    /**
     * An in-memory registry: versions, aliases and one artifact file per run. A dynamic proxy implements the
     * {@link Tracker} methods serving uses, so methods the interface gains later need no change here.
     */
    static final class FakeRegistry {
        final Map<String, ModelVersion> versions = new HashMap<>();
        final Map<String, Path> files = new HashMap<>();
        int closed;

        void add(String name, String version, String runId, Path file, String sha256, String alias) {
            Map<String, String> tags = sha256 == null ? Map.of() : Map.of(ModelVersion.SHA256_TAG, sha256);
            versions.put(name + "/" + version, new ModelVersion(name, version, runId, "runs:/" + runId + "/model", tags, List.of(alias)));
            files.put(runId, file);
        }

        Tracker tracker() {
            return (Tracker) Proxy.newProxyInstance(Tracker.class.getClassLoader(), new Class<?>[]{Tracker.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "describe" -> "memory";
                        case "getModelVersion" -> {
                            ModelVersion v = versions.get(args[0] + "/" + args[1]);
                            if (v == null) {
                                throw new InputException("no version " + args[1] + " of " + args[0]);
                            }
                            yield v;
                        }
                        case "findByAlias" -> versions.values().stream()
                                .filter(v -> v.name().equals(args[0]) && v.aliases().contains((String) args[1])).findFirst();
                        case "downloadArtifact" -> download((String) args[0], (String) args[1], (Path) args[2]);
                        case "close" -> {
                            closed++;
                            yield null;
                        }
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        private Path download(String runId, String artifactPath, Path targetDir) throws IOException {
            assertThat(artifactPath).isEqualTo("model/model.tribuo");
            Files.createDirectories(targetDir);
            return Files.copy(files.get(runId), targetDir.resolve("model.tribuo"));
        }
    }
}
