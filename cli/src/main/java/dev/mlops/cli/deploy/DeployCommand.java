package dev.mlops.cli.deploy;

import dev.mlops.cli.BuildInfo;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.deploy.DeployConfig;
import dev.mlops.engine.spec.PipelineSpec;
import dev.mlops.engine.deploy.Release;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

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
    @Spec
    CommandSpec spec;

    @Mixin
    TargetOptions where;

    @Mixin
    CheckOptions checks;

    @Mixin
    DeploySpecOptions fromSpec;

    @Option(names = "--image", description = "Model-server image (required on Kubernetes; a label locally); default "
            + "deploy.image of the spec, tagged with the git SHA when it has no tag.")
    String image;

    @Option(names = "--model-name", description = "Registered model name (default tracking.registeredModel of the spec).")
    String modelName;

    @Option(names = "--model-version", required = true, description = "Model version to serve.")
    String modelVersion;

    @Option(names = "--model-ref", description = "Where the server loads the model (default models:/<name>/<version>).")
    String modelRef;

    @Option(names = "--git-sha", description = "Git commit of the code that built the model.")
    String gitSha;

    @Option(names = "--json", description = "Print the release record as JSON on stdout.")
    boolean json;

    @Override
    public Integer call() {
        PipelineSpec s = fromSpec.applyTo(where, checks, true);
        if (s != null) {
            modelName = modelName != null ? modelName : s.tracking().registeredModel();
            if (image == null) {
                image = s.deploy().imageFor(BuildInfo.context(gitSha, s.baseDir(), Log.NONE).gitSha());
            }
        }
        if (modelName == null) {
            throw new InputException("--model-name is required (or -f a spec with tracking.registeredModel)");
        }
        String img = image != null ? image : where.kubernetes() ? null : "local";
        DeployConfig cfg = new DeployConfig(where.app, img, modelName, modelVersion, modelRef, gitSha, checks.replicas,
                checks.warmReplicas, checks.readyTimeout, checks.smoke(), checks.verifyWindow, checks.verifyInterval,
                checks.maxErrorRate, checks.history, checks.alias, TargetOptions.who(checks.who),
                TargetOptions.buildUrl(checks.buildUrl), checks.lockTtl);
        Releases.run(spec, where, checks, json, c -> Registry.open(c.alias, c.trackingUri), (blueGreen, log) -> {
            Release r = blueGreen.deploy(cfg);
            log.info("deployed " + modelName + " v" + modelVersion + " on " + r.color().id() + " as release " + r.id());
            return r;
        });
        return 0;
    }
}
