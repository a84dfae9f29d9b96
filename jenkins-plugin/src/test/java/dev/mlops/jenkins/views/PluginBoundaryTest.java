package dev.mlops.jenkins.views;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The plugin translates and launches; the work is the engine's, in a child JVM. So its sources never import the
 * engine or the CLI (both are on this module's class path only to build the bundle), never read the environment of
 * the controller or print to its stdout, and keep no Jenkins object in a non-transient field of an execution.
 */
class PluginBoundaryTest {
    @Test
    void theSourcesStayOnTheirSideOfTheBoundary() throws Exception {
        Path main = Path.of("src/main/java");
        try (Stream<Path> files = Files.walk(main)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                String src = Files.readString(f);
                assertThat(src).as(f.toString())
                        .doesNotContain("import dev.mlops.engine").doesNotContain("import dev.mlops.cli")
                        .doesNotContain("System.getenv").doesNotContain("System.out").doesNotContain("System.exit");
                if (!f.startsWith(main.resolve("dev/mlops/jenkins/steps"))) {
                    continue; // executions and steps: what Pipeline persists and resumes
                }
                for (String field : List.of("Run<", "TaskListener ", "Launcher ", "FilePath ", "EnvVars ")) {
                    assertThat(src.lines().filter(l -> l.matches("\\s*private (final )?" + java.util.regex.Pattern.quote(field) + ".*;"))
                            .toList()).as(f + ": a Jenkins object kept in a field").isEmpty();
                }
            }
        }
    }
}
