package dev.mlops.engine.ci;

import java.util.ArrayList;
import java.util.List;

/**
 * The pipeline every CI runs, as {@code mlops} command lines, stage by stage: the one list the GitHub workflows and
 * the GitLab pipeline are generated from and that the parity test holds each CI (Jenkins too) against. Commands read
 * the variables every CI sets the same way: {@code MLFLOW_TRACKING_URI} (blank: the spec's {@code tracking.uri}),
 * {@code MODEL_VERSION} (from the register step), {@code IMAGE} (blank: {@code deploy.image} tagged with the commit),
 * {@code ROLLBACK_TO}, {@code MLOPS_EXPERIMENT}, and where a release lands ({@code MLOPS_KUBECONFIG}, or
 * {@code MLOPS_STATE_DIR} for the local target).
 */
final class CiPlan {
    enum Stage { VALIDATE, TRAIN, GATE, REGISTER, DEPLOY_STAGING, DEPLOY_PRODUCTION, ROLLBACK }

    /** One step: the stage, the file its {@code --json} result goes to, and the shell line. */
    record Step(Stage stage, String result, String command) {
    }

    static final String TRACKING = "--tracking-uri \"$MLFLOW_TRACKING_URI\"";

    private final CiSettings s;

    CiPlan(CiSettings settings) {
        this.s = settings;
    }

    List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        for (Stage st : Stage.values()) {
            steps.add(step(st));
        }
        return steps;
    }

    Step step(Stage stage) {
        String f = "-f " + s.spec();
        return switch (stage) {
            case VALIDATE -> json(stage, "validate-data", "mlops validate-data " + f);
            case TRAIN -> json(stage, "train", "mlops train " + f + " " + TRACKING
                    + " ${MLOPS_EXPERIMENT:+--set \"tracking.experiment=$MLOPS_EXPERIMENT\"}");
            case GATE -> json(stage, "gate", "mlops gate " + f + " " + TRACKING);
            case REGISTER -> json(stage, "register", "mlops register " + f + " " + TRACKING);
            case DEPLOY_STAGING -> json(stage, "deploy-staging", "mlops deploy " + f
                    + " --staging --model-version \"$MODEL_VERSION\" ${IMAGE:+--image \"$IMAGE\"} " + where("staging")
                    + " " + TRACKING);
            case DEPLOY_PRODUCTION -> json(stage, "deploy-production", "mlops deploy " + f
                    + " --model-version \"$MODEL_VERSION\" ${IMAGE:+--image \"$IMAGE\"} " + where("production")
                    + " " + TRACKING);
            case ROLLBACK -> json(stage, "rollback", "mlops rollback " + f + " --to \"${ROLLBACK_TO:-previous}\" "
                    + where("production") + " " + TRACKING);
        };
    }

    /** The model tests of a pull request: train without recording a run, then gate against the registry's baseline. */
    List<Step> modelTests() {
        String f = "-f " + s.spec();
        return List.of(json(Stage.TRAIN, "train", "mlops train " + f + " --no-track"),
                json(Stage.GATE, "gate", "mlops gate " + f + " " + TRACKING));
    }

    /** The drift check of continuous training: the data checks against {@code data.reference}. */
    Step driftCheck() {
        return json(Stage.VALIDATE, "drift", "mlops validate-data " + f());
    }

    /** {@code mlops status} of production after a rollback, to verify what serves. */
    Step status() {
        return json(Stage.ROLLBACK, "status", "mlops status " + f() + " " + where("production"));
    }

    /** {@code mlops summary} of result files: Markdown for job summaries and logs. */
    String summary(String... results) {
        StringBuilder b = new StringBuilder("mlops summary");
        for (String r : results) {
            b.append(' ').append(resultFile(r));
        }
        return b.toString();
    }

    /** A value from a result file, e.g. the registered version. */
    String field(String result, String field) {
        return "mlops summary --field " + field + " " + resultFile(result);
    }

    String resultFile(String result) {
        return s.results() + "/" + result + ".json";
    }

    private String f() {
        return "-f " + s.spec();
    }

    private Step json(Stage stage, String result, String command) {
        return new Step(stage, result, command.replaceAll(" +", " ").trim() + " --json > " + resultFile(result));
    }

    /** Where a release of {@code environment} lands: the kubeconfig given by the CI, or a local state folder. */
    private String where(String environment) {
        if (s.kubernetes()) {
            return "--kubeconfig \"$MLOPS_KUBECONFIG\"";
        }
        return "--state-dir \"${MLOPS_STATE_DIR:-$HOME/.mlops/state/" + s.app() + "}/" + environment + "\"";
    }
}
