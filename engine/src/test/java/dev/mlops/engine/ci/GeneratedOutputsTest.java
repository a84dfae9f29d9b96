package dev.mlops.engine.ci;

import dev.mlops.engine.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * This repository's {@code .github/workflows/} and {@code .gitlab-ci.yml} hold the generator's output for the
 * bundled example: this fails as soon as they differ from what the generator writes now.
 */
class GeneratedOutputsTest {
    static final String SPEC = "examples/breast-cancer/mlops.yaml";
    static final CiGenerator.Options OPTIONS = new CiGenerator.Options("build", "0.1.0", null, null, null, null);

    @Test
    void committedWorkflowsAndPipelineAreCurrent() throws IOException {
        Path root = Repo.root();
        Path spec = root.resolve(SPEC);
        String regenerate = "; regenerate with: ./mlops generate github-actions -f " + SPEC + " --cli build --force"
                + " && ./mlops generate gitlab-ci -f " + SPEC + " --cli build --force";
        for (GeneratedFile f : CiGenerator.generate(CiGenerator.Platform.GITHUB_ACTIONS, SpecLoader.load(spec, List.of()),
                root, spec, OPTIONS)) {
            Path committed = root.resolve(".github/workflows").resolve(f.path());
            assertThat(committed).as(committed + " is missing" + regenerate).exists();
            assertThat(Files.readString(committed)).as(committed + " differs from the generator's output" + regenerate)
                    .isEqualTo(f.content());
        }
        GeneratedFile gitlab = CiGenerator.generate(CiGenerator.Platform.GITLAB_CI, SpecLoader.load(spec, List.of()),
                root, spec, OPTIONS).get(0);
        assertThat(Files.readString(root.resolve(".gitlab-ci.yml"))).as(".gitlab-ci.yml differs" + regenerate)
                .isEqualTo(gitlab.content());
        assertThat(root.resolve(".github/workflows/ci.yml")).as("the project's own CI stays").exists();
    }
}
