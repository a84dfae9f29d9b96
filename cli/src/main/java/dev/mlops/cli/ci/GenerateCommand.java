package dev.mlops.cli.ci;

import dev.mlops.cli.Main;
import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.GenerateRequest;
import dev.mlops.engine.api.GenerateResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/** {@code mlops generate}: CI pipelines from the spec; one subcommand per platform. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate CI pipelines from mlops.yaml that run these same mlops commands.",
        subcommands = {GenerateCommand.GithubActions.class, GenerateCommand.GitlabCi.class})
public final class GenerateCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options both platforms take. */
    static final class Options {
        @Option(names = {"-f", "--file"}, defaultValue = "mlops.yaml", paramLabel = "SPEC",
                description = "Pipeline spec, inside the repository (default: ${DEFAULT-VALUE}). Run from the repository's root.")
        String file;

        @Option(names = "--force", description = "Overwrite files the generator did not write, or that were edited since.")
        boolean force;

        @Option(names = "--cli", defaultValue = "release", paramLabel = "SOURCE",
                description = "Where jobs get mlops: release (default: the pinned release, see --mlops-version) or "
                        + "build (built from this repository: the mlops repository itself).")
        String cli;

        @Option(names = "--mlops-version", paramLabel = "VERSION",
                description = "The mlops release jobs install (default: this CLI's version, " + Main.VERSION + ").")
        String version = Main.VERSION;

        @Option(names = "--test-command", paramLabel = "CMD",
                description = "Your repository's build and unit tests, run by the test workflow/stage (JUnit XML named TEST-*.xml is collected).")
        String testCommand;

        @Option(names = "--coverage-report", paramLabel = "FILE",
                description = "Coverage XML the test command writes (JaCoCo or Cobertura), uploaded and reported.")
        String coverageReport;

        @Option(names = "--dockerfile", paramLabel = "FILE", description = "The model-server image's Dockerfile (default: Dockerfile).")
        String dockerfile;

        GenerateRequest request(String platform, String out, String jobImage) {
            return new GenerateRequest(platform, file).withJobImage(jobImage).withOut(out).withForce(force).withCli(cli).withMlopsVersion(version)
                    .withTestCommand(testCommand).withCoverageReport(coverageReport).withDockerfile(dockerfile);
        }
    }

    static int print(OutputOptions output, GenerateResult r) {
        return output.print(r, () -> r.files().stream().map(f -> f.action() + " " + f.path())
                .collect(Collectors.joining("\n")));
    }

    @Command(name = "github-actions", mixinStandardHelpOptions = true,
            description = {"Write GitHub Actions workflows: test, train, build, deploy-staging, deploy-production,",
                    "rollback, continuous-training. Files the generator did not write are never overwritten without --force."},
            footer = {"", "Examples:",
                    "  mlops generate github-actions -f mlops.yaml",
                    "  mlops generate github-actions -f ml/mlops.yaml --test-command './gradlew test' --out .github/workflows",
                    "", "Exit codes: 0 written (or already current), 2 bad input: a spec the workflows cannot express, or files in the way."})
    static final class GithubActions implements Callable<Integer> {
        @Mixin Options options;
        @Mixin OutputOptions output;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = ".github/workflows",
                description = "Folder for the workflows (default: ${DEFAULT-VALUE}).")
        String out;

        @Override
        public Integer call() {
            return print(output, output.engine().generate(options.request("github-actions", out, null)));
        }
    }

    @Command(name = "gitlab-ci", mixinStandardHelpOptions = true,
            description = {"Write a GitLab CI pipeline: stages validate, test, train, build, deploy; manual production",
                    "and rollback jobs; a scheduled drift path. A file the generator did not write is never overwritten without --force."},
            footer = {"", "Examples:",
                    "  mlops generate gitlab-ci -f mlops.yaml",
                    "  mlops generate gitlab-ci -f ml/mlops.yaml --out .gitlab-ci.yml",
                    "", "Exit codes: 0 written (or already current), 2 bad input: a spec the pipeline cannot express, or a file in the way."})
    static final class GitlabCi implements Callable<Integer> {
        @Mixin Options options;
        @Mixin OutputOptions output;

        @Option(names = "--out", paramLabel = "FILE", defaultValue = ".gitlab-ci.yml",
                description = "The pipeline file (default: ${DEFAULT-VALUE}).")
        String out;

        @Option(names = "--job-image", paramLabel = "IMAGE",
                description = "Default image of the jobs, for Docker runners (Java 17 and curl), e.g. eclipse-temurin:17-jdk-jammy; "
                        + "default: none (shell runners with Java 17).")
        String jobImage;

        @Override
        public Integer call() {
            return print(output, output.engine().generate(options.request("gitlab-ci", out, jobImage)));
        }
    }
}
