package dev.mlops.engine.ci;

import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CiGeneratorTest {
    static final CiGenerator.Options RELEASE = new CiGenerator.Options(null, "0.1.0", null, null, null, null);

    @TempDir
    Path repo;

    /** The bundled example's spec inside a temporary repository, with {@code edit} applied to its text. */
    Path spec(java.util.function.UnaryOperator<String> edit) throws IOException {
        Path dir = repo.resolve("ml");
        Files.createDirectories(dir.resolve("data"));
        Path src = Repo.root().resolve("examples/breast-cancer");
        Files.writeString(dir.resolve("mlops.yaml"), edit.apply(Files.readString(src.resolve("mlops.yaml"))));
        for (String f : List.of("breast_cancer.csv", "reference.csv", "smoke.csv")) {
            Files.copy(src.resolve("data").resolve(f), dir.resolve("data").resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir.resolve("mlops.yaml");
    }

    List<GeneratedFile> generate(CiGenerator.Platform p, Path spec, CiGenerator.Options o) {
        PipelineSpec loaded = SpecLoader.load(spec, List.of());
        return CiGenerator.generate(p, loaded, repo, spec, o);
    }

    @Test
    void sameSpecGivesByteIdenticalFiles() throws IOException {
        Path spec = spec(s -> s);
        for (CiGenerator.Platform p : CiGenerator.Platform.values()) {
            assertThat(generate(p, spec, RELEASE)).isEqualTo(generate(p, spec, RELEASE));
        }
        assertThat(generate(CiGenerator.Platform.GITHUB_ACTIONS, spec, RELEASE)).extracting(GeneratedFile::path)
                .containsExactly("test.yml", "train.yml", "build.yml", "deploy-staging.yml", "deploy-production.yml",
                        "rollback.yml", "continuous-training.yml");
    }

    @Test
    void everyWorkflowIsLeastPrivilegeTimedPinnedAndKeepsSecretsOutOfScripts() throws IOException {
        Path spec = spec(s -> s.replace("target: local", "target: kubernetes"));
        CiGenerator.Options o = new CiGenerator.Options("release", "0.1.0", "./gradlew test", "build/jacoco.xml", null, null);
        for (GeneratedFile f : generate(CiGenerator.Platform.GITHUB_ACTIONS, spec, o)) {
            Map<String, Object> wf = CiYaml.read(f.content());
            assertThat(wf.get("permissions")).as(f.path()).isEqualTo(Map.of());
            assertThat(wf).as(f.path()).containsKey("concurrency");
            Map<String, Map<String, Object>> jobs = cast(wf.get("jobs"));
            jobs.forEach((name, job) -> {
                assertThat(job).as(f.path() + " " + name).containsKey("permissions");
                if (!job.containsKey("uses")) {
                    assertThat(job).as(f.path() + " " + name).containsKey("timeout-minutes");
                }
                for (Map<String, Object> step : steps(job)) {
                    Object uses = step.get("uses");
                    if (uses != null) {
                        assertThat((String) uses).as(f.path() + " " + name)
                                .matches("\\./.*|[^@]+@[0-9a-f]{40}|mlops-dev/mlops/\\.github/actions/setup-mlops@v0\\.1\\.0");
                    }
                    Object run = step.get("run");
                    if (run != null) {
                        assertThat((String) run).as("a secret or input interpolated into a script: " + f.path() + " " + name)
                                .doesNotContain("${{");
                    }
                }
            });
        }
        String prod = content(CiGenerator.Platform.GITHUB_ACTIONS, spec, o, "deploy-production.yml");
        assertThat(prod).contains("environment:\n      name: production", "group: deploy-production",
                "KUBECONFIG_DATA: \"${{ secrets.KUBECONFIG_PRODUCTION }}\"");
        assertThat(content(CiGenerator.Platform.GITHUB_ACTIONS, spec, o, "rollback.yml")).contains("group: deploy-production");
        assertThat(content(CiGenerator.Platform.GITHUB_ACTIONS, spec, o, "test.yml")).contains("run: ./gradlew test",
                "path: build/jacoco.xml");
    }

    @Test
    void gitlabPipelineHasTheStagesManualProductionResourceGroupsAndJunitGate() throws IOException {
        Path spec = spec(s -> s);
        Map<String, Object> p = CiYaml.read(generate(CiGenerator.Platform.GITLAB_CI, spec, RELEASE).get(0).content());
        assertThat(p.get("stages")).isEqualTo(List.of("validate", "test", "train", "build", "deploy"));
        Map<String, Object> prod = m(p.get("deploy-production"));
        assertThat(prod.get("resource_group")).isEqualTo("production");
        assertThat(m(prod.get("environment"))).containsEntry("name", "production");
        assertThat(prod.get("rules").toString()).contains("when=manual");
        assertThat(m(p.get("rollback-production")).get("rules").toString()).contains("when=manual");
        assertThat(m(p.get("deploy-staging")).get("resource_group")).isEqualTo("staging");
        assertThat(m(p.get("deploy-staging")).get("rules").toString()).doesNotContain("manual")
                .contains("$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH");
        assertThat(m(m(m(p.get("train")).get("artifacts")).get("reports")))
                .containsEntry("junit", "ml/out/reports/gate.junit.xml").containsEntry("dotenv", "ml/out/ci/model.env");
        assertThat(m(p.get("drift-check")).get("rules").toString()).contains("$CI_PIPELINE_SOURCE == \"schedule\"");
        assertThat(p.get("include").toString()).contains("v0.1.0/.gitlab/ci/setup-mlops.yml");
    }

    @Test
    void aSpecWithoutAnImageRegistryIsRefusedNamingTheKey() throws IOException {
        Path noImage = spec(s -> s.replaceAll("(?m)^  image: .*$", ""));
        assertThatThrownBy(() -> generate(CiGenerator.Platform.GITHUB_ACTIONS, noImage, RELEASE))
                .isInstanceOf(InputException.class).hasMessageContaining("deploy.image is required");
        Path noRegistry = spec(s -> s.replace("image: ghcr.io/example/mlops-serve", "image: mlops-serve"));
        assertThatThrownBy(() -> generate(CiGenerator.Platform.GITLAB_CI, noRegistry, RELEASE))
                .isInstanceOf(InputException.class).hasMessageContaining("deploy.image 'mlops-serve' names no registry");
        Path tagged = spec(s -> s.replace("image: ghcr.io/example/mlops-serve", "image: ghcr.io/example/mlops-serve:1.0"));
        assertThatThrownBy(() -> generate(CiGenerator.Platform.GITLAB_CI, tagged, RELEASE))
                .isInstanceOf(InputException.class).hasMessageContaining("has a tag");
    }

    @Test
    void anUnknownDeployTargetIsRefusedNamingTheKey() throws IOException {
        Path spec = spec(s -> s.replace("target: local", "target: nomad"));
        assertThatThrownBy(() -> generate(CiGenerator.Platform.GITHUB_ACTIONS, spec, RELEASE))
                .isInstanceOf(InputException.class).hasMessageContaining("deploy.target").hasMessageContaining("nomad");
    }

    @Test
    void aSpecOutsideTheRepositoryOrBadOptionsAreRefused(@TempDir Path elsewhere) throws IOException {
        Path spec = spec(s -> s);
        Path outside = elsewhere.resolve("mlops.yaml");
        Files.copy(spec, outside);
        PipelineSpec loaded = SpecLoader.load(spec, List.of());
        assertThatThrownBy(() -> CiGenerator.generate(CiGenerator.Platform.GITLAB_CI, loaded, repo, outside, RELEASE))
                .isInstanceOf(InputException.class).hasMessageContaining("inside the repository");
        assertThatThrownBy(() -> generate(CiGenerator.Platform.GITLAB_CI, spec,
                new CiGenerator.Options("nightly", "0.1.0", null, null, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("--cli");
        assertThatThrownBy(() -> generate(CiGenerator.Platform.GITLAB_CI, spec,
                new CiGenerator.Options(null, "latest", null, null, null, null)))
                .isInstanceOf(InputException.class).hasMessageContaining("--mlops-version");
        assertThatThrownBy(() -> CiGenerator.Platform.of("jenkins")).isInstanceOf(InputException.class)
                .hasMessageContaining("github-actions or gitlab-ci");
    }

    @Test
    void handEditedOrForeignFilesAreNeverOverwrittenWithoutForce() throws IOException {
        Path spec = spec(s -> s);
        List<GeneratedFile> files = generate(CiGenerator.Platform.GITHUB_ACTIONS, spec, RELEASE);
        Path out = repo.resolve(".github/workflows");
        List<CiGenerator.Written> first = CiGenerator.write(files, out, false, false, Log.NONE);
        assertThat(first).allMatch(CiGenerator.Written::changed);
        assertThat(CiGenerator.write(files, out, false, false, Log.NONE)).noneMatch(CiGenerator.Written::changed);

        Files.writeString(out.resolve("test.yml"), Files.readString(out.resolve("test.yml")).replace("ubuntu-latest", "self-hosted"));
        Files.writeString(out.resolve("build.yml"), "name: my own build\n");
        Files.writeString(out.resolve("ci.yml"), "name: the project's own\n");
        String deployBefore = Files.readString(out.resolve("deploy-staging.yml"));
        Files.delete(out.resolve("deploy-staging.yml"));
        assertThatThrownBy(() -> CiGenerator.write(files, out, false, false, Log.NONE))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("refusing to overwrite 2 files")
                .hasMessageContaining("test.yml (edited by hand")
                .hasMessageContaining("build.yml (not written by mlops generate")
                .hasMessageNotContaining("ci.yml");
        assertThat(out.resolve("deploy-staging.yml")).as("nothing is written when a file is in the way").doesNotExist();

        CiGenerator.write(files, out, false, true, Log.NONE);
        assertThat(Files.readString(out.resolve("deploy-staging.yml"))).isEqualTo(deployBefore);
        assertThat(Files.readString(out.resolve("build.yml"))).startsWith("# Generated by `mlops generate github-actions");
        assertThat(Files.readString(out.resolve("ci.yml"))).isEqualTo("name: the project's own\n");
    }

    @Test
    void theHeaderHashCoversTheBody() {
        GeneratedFile f = GeneratedFile.of("x.yml", "mlops generate x", "a: 1\n");
        assertThat(GeneratedFile.provenance(f.content())).isEqualTo(GeneratedFile.Provenance.GENERATED);
        assertThat(GeneratedFile.provenance(f.content() + "b: 2\n")).isEqualTo(GeneratedFile.Provenance.EDITED);
        assertThat(GeneratedFile.provenance("a: 1\n")).isEqualTo(GeneratedFile.Provenance.FOREIGN);
    }

    @Test
    void planCommandsAreTheSameInBothPlatforms() throws IOException {
        Path spec = spec(s -> s);
        List<String> github = new ArrayList<>();
        for (GeneratedFile f : generate(CiGenerator.Platform.GITHUB_ACTIONS, spec, RELEASE)) {
            github.add(f.content());
        }
        String gitlab = generate(CiGenerator.Platform.GITLAB_CI, spec, RELEASE).get(0).content();
        CiSettings settings = CiGenerator.settings(CiGenerator.Platform.GITLAB_CI, SpecLoader.load(spec, List.of()),
                repo, spec, RELEASE);
        for (CiPlan.Step step : new CiPlan(settings).steps()) {
            String yamlLine = step.command().contains("\"") && step.command().contains("${") ? null : step.command();
            if (yamlLine != null) {
                assertThat(String.join("\n", github)).as(step.stage().name()).contains(yamlLine);
                assertThat(gitlab).as(step.stage().name()).contains(yamlLine);
            }
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T cast(Object o) {
        return (T) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> m(Object o) {
        return (Map<String, Object>) o;
    }

    static List<Map<String, Object>> steps(Map<String, Object> job) {
        Object s = job.get("steps");
        return s == null ? List.of() : cast(s);
    }

    String content(CiGenerator.Platform p, Path spec, CiGenerator.Options o, String name) {
        return generate(p, spec, o).stream().filter(f -> f.path().equals(name)).findFirst().orElseThrow().content();
    }

    static String firstMatch(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1) : null;
    }
}
