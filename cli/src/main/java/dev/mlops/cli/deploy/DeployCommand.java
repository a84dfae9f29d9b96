package dev.mlops.cli.deploy;

import dev.mlops.cli.OutputOptions;
import dev.mlops.engine.api.DeployRequest;
import dev.mlops.engine.api.ReleaseResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code mlops deploy}: a blue-green deploy of one model version, locally or on Kubernetes. */
@Command(name = "deploy", mixinStandardHelpOptions = true,
        description = {"Blue-green deploy: start the idle color, wait, smoke-test it, switch traffic in one step,",
                "verify, keep the old color warm for a one-step rollback, record the release."},
        footer = {"", "Examples:",
                "  mlops deploy -f examples/breast-cancer/mlops.yaml --model-version 3            # production, alias production",
                "  mlops deploy -f examples/breast-cancer/mlops.yaml --model-version 3 --staging  # staging, alias staging",
                "  mlops deploy --app cancer --model-name cancer --model-version 3 --model-ref out/model.tribuo",
                "", "Exit codes: 0 deployed, 1 refused (traffic stayed on the healthy color), 2 bad input, 3 infrastructure."})
public final class DeployCommand implements Callable<Integer> {
    @Mixin TargetOptions where;
    @Mixin CheckOptions checks;
    @Mixin OutputOptions output;

    @Option(names = "--image", description = "Model-server image (required on Kubernetes; a label locally); default "
            + "deploy.image of the spec, tagged with the git SHA when it has no tag.")
    String image;

    @Option(names = "--model-name", description = "Registered model name (default tracking.registeredModel of the spec).")
    String modelName;

    @Option(names = "--model-version", required = true, description = "Model version to serve.")
    String modelVersion;

    @Option(names = "--model-ref", description = "Where the server loads the model (default models:/<name>/<version>).")
    String modelRef;

    @Option(names = "--git-sha", description = "Git commit recorded with the release and tagged onto the image "
            + "(default GIT_COMMIT, GITHUB_SHA, CI_COMMIT_SHA, or git rev-parse HEAD).")
    String gitSha;

    @Override
    public Integer call() {
        DeployRequest req = checks.applyTo(where.applyTo(new DeployRequest(modelVersion))).withImage(image)
                .withModelName(modelName).withModelRef(modelRef).withGitSha(gitSha);
        ReleaseResult r = output.engine().deploy(req);
        return output.print(r, () -> Releases.text(r));
    }
}
