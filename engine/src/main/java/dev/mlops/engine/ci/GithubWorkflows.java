package dev.mlops.engine.ci;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mlops.engine.ci.Y.list;
import static dev.mlops.engine.ci.Y.lines;
import static dev.mlops.engine.ci.Y.map;

/**
 * The GitHub Actions workflows of a spec: test, train (also a reusable {@code workflow_call}), build, deploy-staging,
 * deploy-production, rollback and continuous-training. Each job runs {@link CiPlan}'s {@code mlops} commands, gets
 * the CLI in one cached step, holds only the permissions it needs, reads secrets only through {@code secrets.*} into
 * step environments (never into a command line), and writes a job summary from the {@code --json} results.
 */
final class GithubWorkflows {
    /** Where the released setup action lives: {@code <repo>/.github/actions/setup-mlops@v<version>}. */
    static final String MLOPS_REPOSITORY = "mlops-dev/mlops";
    static final String SETUP_ACTION = ".github/actions/setup-mlops";
    static final String RUNNER = "ubuntu-latest";

    private final CiSettings s;
    private final CiPlan plan;

    GithubWorkflows(CiSettings settings) {
        this.s = settings;
        this.plan = new CiPlan(settings);
    }

    List<GeneratedFile> files() {
        return List.of(
                file("test.yml", test()),
                file("train.yml", train()),
                file("build.yml", build()),
                file("deploy-staging.yml", deployStaging()),
                file("deploy-production.yml", deployProduction()),
                file("rollback.yml", rollback()),
                file("continuous-training.yml", continuousTraining()));
    }

    private GeneratedFile file(String name, Map<String, Object> tree) {
        return GeneratedFile.of(name, s.command(), CiYaml.write(tree));
    }

    // --- workflows ---------------------------------------------------------------------------------------------

    Map<String, Object> test() {
        Map<String, Object> jobs = map();
        if (s.testCommand() != null) {
            List<Object> steps = list(checkout(), setupJava(),
                    map("name", "Build and unit tests", "run", s.testCommand()),
                    upload("test-reports", "**/TEST-*.xml", true));
            if (s.coverageReport() != null) {
                steps.add(upload("coverage", s.coverageReport(), true));
                steps.add(map("name", "Coverage in the summary", "if", "always()", "run", lines(
                        "if [ -f '" + s.coverageReport() + "' ]; then",
                        "  echo \"Coverage report: \\`" + s.coverageReport() + "\\` (artifact 'coverage')\" >> \"$GITHUB_STEP_SUMMARY\"",
                        "fi")));
            }
            jobs.put("unit-tests", job("Build and unit tests", 30, read(), null, steps));
        }
        jobs.put("data", job("Data validation", 15, read(), null, list(checkout(), setupMlops(), results(),
                run("Validate data", plan.step(CiPlan.Stage.VALIDATE)),
                summary("validate-data"), upload("data-reports", s.out() + "/reports/data.*", true))));
        List<CiPlan.Step> model = plan.modelTests();
        jobs.put("model", job("Model tests: train on the bundled data and gate", 30, read(), tracking(), list(
                checkout(), setupMlops(), results(),
                run("Train (not recorded)", model.get(0)), run("Gate", model.get(1)),
                summary("train", "gate"), upload("gate-reports", s.out() + "/reports/", true)),
                "data"));
        return workflow("test",
                map("pull_request", map("branches", list("main")), "push", map("branches", list("main"))),
                map("group", "test-${{ github.ref }}", "cancel-in-progress", true), jobs);
    }

    Map<String, Object> train() {
        Map<String, Object> experiment = map("description", "MLflow experiment (default: tracking.experiment of the spec)",
                "required", false, "type", "string", "default", "");
        Map<String, Object> on = map(
                "workflow_dispatch", map("inputs", map("experiment", experiment)),
                "schedule", list(map("cron", "0 3 * * 1")),
                "workflow_call", map(
                        "inputs", map("experiment", experiment),
                        "outputs", map("model_version", map("description", "the registered model version",
                                "value", "${{ jobs.train.outputs.model_version }}")),
                        "secrets", map("MLFLOW_TRACKING_URI", optionalSecret(), "MLFLOW_TRACKING_TOKEN", optionalSecret(),
                                "MLFLOW_TRACKING_USERNAME", optionalSecret(), "MLFLOW_TRACKING_PASSWORD", optionalSecret())));
        Map<String, Object> jobs = map();
        jobs.put("validate", job("Validate data", 15, read(), null, list(checkout(), setupMlops(), results(),
                run("Validate data", plan.step(CiPlan.Stage.VALIDATE)), summary("validate-data"),
                upload("data-reports", s.out() + "/reports/data.*", true))));
        Map<String, Object> env = tracking();
        env.put("MLOPS_EXPERIMENT", "${{ inputs.experiment }}");
        Map<String, Object> train = job("Train, gate, register", 60, read(), env, list(checkout(), setupMlops(),
                results(), run("Train", plan.step(CiPlan.Stage.TRAIN)), run("Gate", plan.step(CiPlan.Stage.GATE)),
                map("name", "Register", "id", "register", "run", lines(plan.step(CiPlan.Stage.REGISTER).command(),
                        "echo \"model_version=$(" + plan.field("register", "version") + ")\" >> \"$GITHUB_OUTPUT\"")),
                summary("train", "gate", "register"),
                upload("model", s.out() + "/", true)), "validate");
        train.put("outputs", map("model_version", "${{ steps.register.outputs.model_version }}"));
        jobs.put("train", reorder(train));
        return workflow("train", on, map("group", "train-${{ github.ref }}", "cancel-in-progress", false), jobs);
    }

    Map<String, Object> build() {
        Map<String, Object> jobs = map();
        jobs.put("model", map("name", "Validate, train, gate, register", "permissions", read(),
                "uses", "./.github/workflows/train.yml", "secrets", "inherit"));
        boolean ghcr = s.registry().equals("ghcr.io");
        Map<String, Object> perms = map("contents", "read", "packages", ghcr ? "write" : null,
                "security-events", "write");
        Map<String, Object> env = map("IMAGE", s.image() + ":${{ github.sha }}",
                "MODEL_VERSION", "${{ needs.model.outputs.model_version }}");
        List<Object> steps = list(checkout(),
                map("name", Pins.BUILDX.named("Set up Buildx"), "uses", Pins.BUILDX.uses()),
                map("name", Pins.LOGIN.named("Log in to " + s.registry()), "uses", Pins.LOGIN.uses(), "with", map(
                        "registry", s.registry(),
                        "username", ghcr ? "${{ github.actor }}" : "${{ secrets.REGISTRY_USERNAME }}",
                        "password", ghcr ? "${{ secrets.GITHUB_TOKEN }}" : "${{ secrets.REGISTRY_PASSWORD }}")),
                map("name", Pins.METADATA.named("Tags and OCI labels"), "id", "meta", "uses", Pins.METADATA.uses(),
                        "with", map("images", s.image(),
                                "tags", lines("type=sha,format=long,prefix=", "type=ref,event=branch"),
                                "labels", lines("dev.mlops.model.version=${{ needs.model.outputs.model_version }}",
                                        "org.opencontainers.image.title=" + s.app()))),
                map("name", Pins.BUILD_PUSH.named("Build and push"), "uses", Pins.BUILD_PUSH.uses(), "with", map(
                        "context", ".", "file", s.dockerfile(), "push", true,
                        "tags", "${{ steps.meta.outputs.tags }}", "labels", "${{ steps.meta.outputs.labels }}",
                        "build-args", lines("GIT_SHA=${{ github.sha }}",
                                "MODEL_VERSION=${{ needs.model.outputs.model_version }}"),
                        "cache-from", "type=gha", "cache-to", "type=gha,mode=max")),
                map("name", Pins.TRIVY.named("Scan the image"), "uses", Pins.TRIVY.uses(), "with", map(
                        "image-ref", "${{ env.IMAGE }}", "format", "sarif", "output", "trivy.sarif",
                        "severity", "CRITICAL,HIGH", "ignore-unfixed", true)),
                map("name", Pins.SARIF.named("Upload the scan"), "if", "always() && hashFiles('trivy.sarif') != ''",
                        "uses", Pins.SARIF.uses(), "with", map("sarif_file", "trivy.sarif")),
                results(),
                map("name", "Release record for deploy-staging", "run", lines(
                        "printf 'MODEL_VERSION=%s\\nIMAGE=%s\\n' \"$MODEL_VERSION\" \"$IMAGE\" > " + releaseEnv(),
                        "{ echo '### Image'; echo; echo \"| image | model version |\"; echo '|---|---|';"
                                + " echo \"| \\`$IMAGE\\` | $MODEL_VERSION |\"; } >> \"$GITHUB_STEP_SUMMARY\"")),
                upload("release", releaseEnv(), false));
        jobs.put("image", job("Model-server image", 30, perms, env, steps, "model"));
        return workflow("build", map("push", map("branches", list("main")), "workflow_dispatch", map()),
                map("group", "build-${{ github.ref }}", "cancel-in-progress", false), jobs);
    }

    Map<String, Object> deployStaging() {
        Map<String, Object> env = tracking();
        List<Object> steps = list(
                map("name", Pins.CHECKOUT.named("Check out the built commit"), "uses", Pins.CHECKOUT.uses(),
                        "with", map("ref", "${{ github.event.workflow_run.head_sha }}")),
                map("name", Pins.DOWNLOAD.named("Release record of the build"), "uses", Pins.DOWNLOAD.uses(),
                        "with", map("name", "release", "path", s.results(),
                                "run-id", "${{ github.event.workflow_run.id }}", "github-token", "${{ github.token }}")),
                map("name", "Model version and image", "run", lines(
                        "grep -E '^(MODEL_VERSION|IMAGE)=[A-Za-z0-9._:/@-]+$' " + releaseEnv() + " >> \"$GITHUB_ENV\"")));
        steps.addAll(kubeconfig("STAGING"));
        steps.addAll(list(setupMlops(), results(), run("Blue-green deploy to staging", plan.step(CiPlan.Stage.DEPLOY_STAGING)),
                summary("deploy-staging")));
        Map<String, Object> job = job("Deploy to staging", 30, map("contents", "read", "actions", "read"), env, steps);
        job.put("if", "github.event.workflow_run.conclusion == 'success'");
        job.put("environment", map("name", "staging"));
        return workflow("deploy-staging",
                map("workflow_run", map("workflows", list("build"), "types", list("completed"), "branches", list("main"))),
                map("group", "deploy-staging", "cancel-in-progress", false), Map.of("deploy", reorder(job)));
    }

    Map<String, Object> deployProduction() {
        Map<String, Object> on = map("workflow_dispatch", map("inputs", map(
                "model_version", map("description", "registered model version to release", "required", true, "type", "string"),
                "image_tag", map("description", "image tag (default: the commit this runs on)", "required", false,
                        "type", "string", "default", ""))));
        Map<String, Object> env = tracking();
        env.put("MODEL_VERSION", "${{ inputs.model_version }}");
        env.put("IMAGE_TAG", "${{ inputs.image_tag }}");
        List<Object> steps = list(checkout(), map("name", "Check the inputs", "run", lines(
                "[[ \"$MODEL_VERSION\" =~ ^[0-9]+$ ]] || { echo \"::error::model_version must be a number, got '$MODEL_VERSION'\"; exit 2; }",
                "if [ -n \"$IMAGE_TAG\" ]; then",
                "  [[ \"$IMAGE_TAG\" =~ ^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$ ]] || { echo \"::error::image_tag is not a valid tag\"; exit 2; }",
                "  echo \"IMAGE=" + s.image() + ":$IMAGE_TAG\" >> \"$GITHUB_ENV\"",
                "fi")));
        steps.addAll(kubeconfig("PRODUCTION"));
        steps.addAll(list(setupMlops(), results(),
                map("name", "Blue-green deploy to production", "id", "deploy",
                        "run", plan.step(CiPlan.Stage.DEPLOY_PRODUCTION).command()),
                verify("Verify what serves", "$MODEL_VERSION"),
                map("name", "Roll back when the release landed but verification failed",
                        "if", "failure() && steps.deploy.outcome == 'success'",
                        "run", plan.step(CiPlan.Stage.ROLLBACK).command()),
                summary("deploy-production", "status", "rollback")));
        Map<String, Object> job = job("Deploy to production", 30, read(), env, steps);
        job.put("environment", map("name", "production"));
        return workflow("deploy-production", on, map("group", "deploy-production", "cancel-in-progress", false),
                Map.of("deploy", reorder(job)));
    }

    Map<String, Object> rollback() {
        Map<String, Object> on = map("workflow_dispatch", map("inputs", map("to", map(
                "description", "previous, a release id, or a model version from the ledger", "required", true,
                "type", "string", "default", "previous"))));
        Map<String, Object> env = tracking();
        env.put("ROLLBACK_TO", "${{ inputs.to }}");
        List<Object> steps = list(checkout());
        steps.addAll(kubeconfig("PRODUCTION"));
        steps.addAll(list(setupMlops(), results(),
                map("name", "Roll back production", "id", "rollback", "run", plan.step(CiPlan.Stage.ROLLBACK).command()),
                verify("Verify what serves", null),
                summary("rollback", "status"),
                map("name", "Notify", "if", "always()", "env", map("SLACK_WEBHOOK_URL", "${{ secrets.SLACK_WEBHOOK_URL }}",
                        "OUTCOME", "${{ steps.rollback.outcome }}"), "run", lines(
                        "if [ -z \"$SLACK_WEBHOOK_URL\" ]; then echo 'no SLACK_WEBHOOK_URL secret: no notification'; exit 0; fi",
                        "release=$(" + plan.field("rollback", "release.id") + " || echo none)",
                        "text=\"" + s.app() + " production rollback to ${ROLLBACK_TO}: ${OUTCOME} (release ${release}) by ${GITHUB_ACTOR}:"
                                + " ${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}\"",
                        "text=${text//[^A-Za-z0-9 ._:\\/@()-]/_}",
                        "# the webhook URL is a secret: it goes to curl on stdin, never on its command line",
                        "printf 'url = \"%s\"\\n' \"$SLACK_WEBHOOK_URL\" | curl -fsS --max-time 20 -K - -X POST"
                                + " -H 'Content-Type: application/json' --data \"{\\\"text\\\": \\\"$text\\\"}\"")))) ;
        Map<String, Object> job = job("Roll back production", 20, read(), env, steps);
        job.put("environment", map("name", "production"));
        return workflow("rollback", on, map("group", "deploy-production", "cancel-in-progress", false),
                Map.of("rollback", reorder(job)));
    }

    Map<String, Object> continuousTraining() {
        Map<String, Object> on = map("schedule", list(map("cron", "0 4 * * *")),
                "workflow_dispatch", map("inputs", map("force", map("description", "train even without drift",
                        "required", false, "type", "boolean", "default", false))));
        CiPlan.Step drift = plan.driftCheck();
        Map<String, Object> check = job("Drift against the reference data", 15, read(), null, list(checkout(),
                setupMlops(), results(),
                map("name", "Drift check", "id", "drift", "run", lines(
                        "# exit 0: no check failed, nothing to do; 1: drift (or broken data, which training reports); else an error",
                        "rc=0",
                        drift.command() + " || rc=$?",
                        "case $rc in 0) retrain=false ;; 1) retrain=true ;; *) exit $rc ;; esac",
                        "echo \"retrain=$retrain\" >> \"$GITHUB_OUTPUT\"",
                        "echo \"retrain: $retrain\" >> \"$GITHUB_STEP_SUMMARY\"")),
                summary("drift")));
        check.put("outputs", map("retrain", "${{ steps.drift.outputs.retrain }}"));
        Map<String, Object> jobs = map("drift", reorder(check), "train", map("name", "Validate, train, gate, register",
                "needs", "drift", "if", "needs.drift.outputs.retrain == 'true' || inputs.force",
                "permissions", read(), "uses", "./.github/workflows/train.yml", "secrets", "inherit"));
        return workflow("continuous-training", on, map("group", "continuous-training", "cancel-in-progress", false), jobs);
    }

    // --- building blocks ---------------------------------------------------------------------------------------

    private Map<String, Object> workflow(String name, Map<String, Object> on, Map<String, Object> concurrency,
                                         Map<String, Object> jobs) {
        Map<String, Object> env = s.kubernetes() ? null : map("MLOPS_STATE_DIR", "${{ vars.MLOPS_STATE_DIR }}");
        return map("name", name, "on", on, "permissions", map(), "concurrency", concurrency, "env", env,
                "defaults", map("run", map("shell", "bash")), "jobs", jobs);
    }

    private static Map<String, Object> job(String name, int timeout, Map<String, Object> permissions,
                                           Map<String, Object> env, List<Object> steps, String... needs) {
        return map("name", name, "needs", needs.length == 0 ? null : needs.length == 1 ? needs[0] : List.of(needs),
                "runs-on", RUNNER, "timeout-minutes", timeout, "permissions", permissions,
                "env", env == null || env.isEmpty() ? null : env, "steps", steps);
    }

    /** Keys in the conventional order (name, needs, if, environment, runs-on, ...) after later additions. */
    private static Map<String, Object> reorder(Map<String, Object> job) {
        Map<String, Object> m = map();
        for (String k : List.of("name", "needs", "if", "environment", "runs-on", "timeout-minutes", "permissions",
                "outputs", "env", "uses", "secrets", "steps")) {
            if (job.containsKey(k)) {
                m.put(k, job.get(k));
            }
        }
        job.forEach(m::putIfAbsent);
        return m;
    }

    private static Map<String, Object> read() {
        return map("contents", "read");
    }

    private static Map<String, Object> optionalSecret() {
        return map("required", false);
    }

    /** MLflow's location and credentials, from secrets into the environment; unset ones are empty. */
    private static Map<String, Object> tracking() {
        return map("MLFLOW_TRACKING_URI", "${{ secrets.MLFLOW_TRACKING_URI }}",
                "MLFLOW_TRACKING_TOKEN", "${{ secrets.MLFLOW_TRACKING_TOKEN }}",
                "MLFLOW_TRACKING_USERNAME", "${{ secrets.MLFLOW_TRACKING_USERNAME }}",
                "MLFLOW_TRACKING_PASSWORD", "${{ secrets.MLFLOW_TRACKING_PASSWORD }}");
    }

    /** Kubernetes: the kubeconfig secret of the environment into a private file, named by MLOPS_KUBECONFIG. */
    private List<Object> kubeconfig(String environment) {
        if (!s.kubernetes()) {
            return list();
        }
        return list(map("name", "Kubeconfig", "env", map("KUBECONFIG_DATA", "${{ secrets.KUBECONFIG_" + environment + " }}"),
                "run", lines(
                        "[ -n \"$KUBECONFIG_DATA\" ] || { echo '::error::secret KUBECONFIG_" + environment + " is not set'; exit 2; }",
                        "umask 077",
                        "printf '%s\\n' \"$KUBECONFIG_DATA\" > \"$RUNNER_TEMP/kubeconfig\"",
                        "echo \"MLOPS_KUBECONFIG=$RUNNER_TEMP/kubeconfig\" >> \"$GITHUB_ENV\"")));
    }

    private static Map<String, Object> checkout() {
        return map("name", Pins.CHECKOUT.named("Check out"), "uses", Pins.CHECKOUT.uses());
    }

    private static Map<String, Object> setupJava() {
        return map("name", Pins.SETUP_JAVA.named("Java 17"), "uses", Pins.SETUP_JAVA.uses(),
                "with", map("distribution", "temurin", "java-version", "17"));
    }

    /** The one step that puts {@code mlops} on the PATH (cached): this repository's build, or the pinned release. */
    private Map<String, Object> setupMlops() {
        if (s.cli().build()) {
            return map("name", "mlops (built from this repository, cached)", "uses", "./" + SETUP_ACTION,
                    "with", map("source", "build"));
        }
        return map("name", "mlops " + s.cli().version() + " (release, cached)",
                "uses", MLOPS_REPOSITORY + "/" + SETUP_ACTION + "@v" + s.cli().version(),
                "with", map("version", s.cli().version()));
    }

    private Map<String, Object> results() {
        return map("name", "Results folder", "run", "mkdir -p " + s.results());
    }

    private static Map<String, Object> run(String name, CiPlan.Step step) {
        return map("name", name, "run", step.command());
    }

    private Map<String, Object> summary(String... results) {
        return map("name", "Summary", "if", "always()", "run", plan.summary(results) + " | tee -a \"$GITHUB_STEP_SUMMARY\"");
    }

    /** {@code mlops status} of production, and a check that it serves ({@code version}: that version). */
    private Map<String, Object> verify(String name, String version) {
        CiPlan.Step status = plan.status();
        List<String> l = new ArrayList<>(List.of(status.command(),
                "[ \"$(" + plan.field("status", "endpoint.reachable") + ")\" = true ] || { echo '::error::production does not answer'; exit 1; }"));
        if (version != null) {
            l.add("serving=$(" + plan.field("status", "endpoint.modelVersion") + ")");
            l.add("[ \"$serving\" = \"" + version + "\" ] || { echo \"::error::production serves version $serving, not " + version + "\"; exit 1; }");
        }
        return map("name", name, "id", "verify", "run", String.join("\n", l));
    }

    private static Map<String, Object> upload(String name, String path, boolean always) {
        return map("name", Pins.UPLOAD.named("Upload " + name), "if", always ? "always()" : null,
                "uses", Pins.UPLOAD.uses(), "with", map("name", name, "path", path, "if-no-files-found",
                        always ? "ignore" : "error"));
    }

    private String releaseEnv() {
        return s.results() + "/release.env";
    }
}
