package dev.mlops.engine.ci;

import java.util.List;
import java.util.Map;

import static dev.mlops.engine.ci.Y.list;
import static dev.mlops.engine.ci.Y.lines;
import static dev.mlops.engine.ci.Y.map;

/**
 * The GitLab CI pipeline of a spec: stages validate, test, train, build, deploy. Merge requests and pushes run the
 * data and model tests; the default branch trains, gates, registers, builds the image and deploys to staging on its
 * own; production and rollback are manual jobs of the {@code production} environment; schedules take the drift path
 * (train only when the data drifted, or {@code FORCE_TRAIN=true}). Deploys of one environment share a
 * {@code resource_group}, so they never overlap. Jobs get {@code mlops} from the include-able setup template.
 */
final class GitlabPipeline {
    static final String TEMPLATE = ".gitlab/ci/setup-mlops.yml";
    static final String KANIKO = "gcr.io/kaniko-project/executor:v1.23.2-debug";
    static final String TRIVY = "aquasec/trivy:0.57.1";

    private static final String DEFAULT_BRANCH_PUSH = "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH && $CI_PIPELINE_SOURCE != \"schedule\"";
    private static final String SCHEDULE = "$CI_PIPELINE_SOURCE == \"schedule\"";

    private final CiSettings s;
    private final CiPlan plan;

    GitlabPipeline(CiSettings settings) {
        this.s = settings;
        this.plan = new CiPlan(settings);
    }

    GeneratedFile file(String name) {
        return GeneratedFile.of(name, s.command(), CiYaml.write(tree()));
    }

    Map<String, Object> tree() {
        Map<String, Object> root = map();
        root.put("include", list(s.cli().build() ? map("local", TEMPLATE)
                : map("remote", "https://raw.githubusercontent.com/" + GithubWorkflows.MLOPS_REPOSITORY + "/v"
                + s.cli().version() + "/" + TEMPLATE)));
        if (s.jobImage() != null) {
            root.put("default", map("image", s.jobImage()));
        }
        root.put("stages", list("validate", "test", "train", "build", "deploy"));
        root.put("workflow", map("rules", list(
                map("if", "$CI_PIPELINE_SOURCE == \"merge_request_event\""),
                map("if", "$CI_COMMIT_BRANCH && $CI_OPEN_MERGE_REQUESTS && $CI_PIPELINE_SOURCE == \"push\"", "when", "never"),
                map("if", "$CI_COMMIT_BRANCH"))));
        root.put("variables", map(
                "MLOPS_VERSION", map("value", s.cli().version(), "description", "the mlops release jobs run"),
                "MLOPS_SOURCE", map("value", s.cli().build() ? "build" : "release",
                        "description", "release: the pinned mlops release; build: built from this repository"),
                "MLOPS_CACHE_KEY", s.cli().build() ? map("value", "build-$CI_COMMIT_SHA",
                        "description", "a CLI built from source is cached for this commit only") : null,
                "IMAGE", map("value", s.image() + ":$CI_COMMIT_SHA", "description", "the model-server image this pipeline builds and deploys"),
                "ROLLBACK_TO", map("value", "previous", "description", "rollback-production: previous, a release id or a model version"),
                "FORCE_TRAIN", map("value", "false", "description", "scheduled pipelines: train even without drift")));

        root.put("validate-data", job("validate", list(results(), plan.step(CiPlan.Stage.VALIDATE).command()),
                summary("validate-data"), artifacts(list(s.out() + "/reports/", s.results() + "/"),
                        s.out() + "/reports/data.junit.xml", null), list(map("if", SCHEDULE, "when", "never"), map("when", "on_success")), null));
        CiPlan.Step drift = plan.driftCheck();
        root.put("drift-check", job("validate", list(results(),
                "# exit 0: no check failed, nothing to train; 1: drift (or broken data, which training reports); else an error",
                lines("rc=0", drift.command() + " || rc=$?",
                        "case $rc in 0) retrain=false ;; 1) retrain=true ;; *) exit $rc ;; esac",
                        "echo \"RETRAIN=$retrain\" > " + s.results() + "/drift.env", "echo \"retrain: $retrain\"")),
                summary("drift"), artifacts(list(s.results() + "/"), null, s.results() + "/drift.env"),
                list(map("if", SCHEDULE)), null));
        if (s.testCommand() != null) {
            Map<String, Object> reports = map("junit", "**/TEST-*.xml");
            if (s.coverageReport() != null) {
                reports.put("coverage_report", map("coverage_format",
                        s.coverageReport().toLowerCase(java.util.Locale.ROOT).contains("jacoco") ? "jacoco" : "cobertura",
                        "path", s.coverageReport()));
            }
            root.put("unit-tests", map("stage", "test", "timeout", "30m", "script", list(s.testCommand()),
                    "artifacts", map("when", "always", "expire_in", "30 days", "reports", reports),
                    "rules", list(map("if", SCHEDULE, "when", "never"), map("when", "on_success"))));
        }
        List<CiPlan.Step> model = plan.modelTests();
        root.put("model-tests", job("test", list(results(), model.get(0).command(), model.get(1).command()),
                summary("train", "gate"), artifacts(list(s.out() + "/reports/", s.results() + "/"),
                        s.out() + "/reports/gate.junit.xml", null),
                list(map("if", SCHEDULE, "when", "never"), map("if", DEFAULT_BRANCH_PUSH, "when", "never"),
                        map("when", "on_success")), null));

        Map<String, Object> train = job("train", list(results(),
                lines("if [ \"$CI_PIPELINE_SOURCE\" = schedule ] && [ \"$RETRAIN\" != true ] && [ \"$FORCE_TRAIN\" != true ]; then",
                        "  echo 'no drift against the reference data: nothing to train'; exit 0",
                        "fi"),
                plan.step(CiPlan.Stage.TRAIN).command(), plan.step(CiPlan.Stage.GATE).command(),
                plan.step(CiPlan.Stage.REGISTER).command(),
                "echo \"MODEL_VERSION=$(" + plan.field("register", "version") + ")\" > " + s.results() + "/model.env"),
                summary("train", "gate", "register"),
                artifacts(list(s.out() + "/"), s.out() + "/reports/gate.junit.xml", s.results() + "/model.env"),
                list(map("if", SCHEDULE), map("if", DEFAULT_BRANCH_PUSH)),
                list(map("job", "validate-data", "optional", true), map("job", "drift-check", "optional", true)));
        train.put("timeout", "60m");
        root.put("train", train);

        root.put("build-image", map("stage", "build", "timeout", "30m",
                "image", map("name", KANIKO, "entrypoint", list("")),
                "needs", list("train"),
                "script", list(
                        lines("mkdir -p /kaniko/.docker",
                                "# registry credentials: REGISTRY_USER / REGISTRY_PASSWORD (masked), or this project's registry",
                                "user=\"${REGISTRY_USER:-$CI_REGISTRY_USER}\"; pass=\"${REGISTRY_PASSWORD:-$CI_REGISTRY_PASSWORD}\"",
                                "auth=$(printf '%s:%s' \"$user\" \"$pass\" | base64 | tr -d '\\n')",
                                "printf '{\"auths\":{\"%s\":{\"auth\":\"%s\"}}}' \"" + s.registry() + "\" \"$auth\" > /kaniko/.docker/config.json"),
                        lines("/kaniko/executor --context \"$CI_PROJECT_DIR\" --dockerfile \"$CI_PROJECT_DIR/" + s.dockerfile() + "\"",
                                "  --destination \"$IMAGE\" --destination \"" + s.image() + ":$CI_COMMIT_REF_SLUG\"",
                                "  --build-arg \"GIT_SHA=$CI_COMMIT_SHA\" --build-arg \"MODEL_VERSION=$MODEL_VERSION\"",
                                "  --label \"org.opencontainers.image.revision=$CI_COMMIT_SHA\" --label \"org.opencontainers.image.source=$CI_PROJECT_URL\"",
                                "  --label \"dev.mlops.model.version=$MODEL_VERSION\" --cache=true")),
                "rules", list(map("if", DEFAULT_BRANCH_PUSH))));
        root.put("scan-image", map("stage", "build", "timeout", "20m",
                "image", map("name", TRIVY, "entrypoint", list("")),
                "needs", list("build-image"),
                "variables", map("TRIVY_USERNAME", "${REGISTRY_USER:-$CI_REGISTRY_USER}", "TRIVY_PASSWORD", "${REGISTRY_PASSWORD:-$CI_REGISTRY_PASSWORD}"),
                "script", list("trivy image --exit-code 1 --severity CRITICAL,HIGH --ignore-unfixed --format template"
                        + " --template @/contrib/gitlab.tpl -o gl-container-scanning-report.json \"$IMAGE\""),
                "artifacts", map("when", "always", "reports", map("container_scanning", "gl-container-scanning-report.json")),
                "rules", list(map("if", DEFAULT_BRANCH_PUSH))));

        Map<String, Object> staging = job("deploy", list(results(), plan.step(CiPlan.Stage.DEPLOY_STAGING).command()),
                summary("deploy-staging"), artifacts(list(s.results() + "/"), null, null),
                list(map("if", DEFAULT_BRANCH_PUSH)), list("train", "build-image"));
        root.put("deploy-staging", release(staging, "staging", null));

        Map<String, Object> production = job("deploy", list(results(),
                        lines("rc=0", plan.step(CiPlan.Stage.DEPLOY_PRODUCTION).command() + " || rc=$?",
                                "if [ $rc -ne 0 ]; then exit $rc; fi"),
                        lines("# the release landed: verify what serves, and roll back when it is not this version",
                                plan.status().command() + " || true",
                                "serving=$(" + plan.field("status", "endpoint.modelVersion") + " || true)",
                                "if [ \"$serving\" != \"$MODEL_VERSION\" ]; then",
                                "  echo \"production serves '$serving', not $MODEL_VERSION: rolling back\"",
                                "  " + plan.step(CiPlan.Stage.ROLLBACK).command() + " || true",
                                "  exit 1",
                                "fi")),
                summary("deploy-production", "status"), artifacts(list(s.results() + "/"), null, null),
                list(map("if", DEFAULT_BRANCH_PUSH, "when", "manual")), list("train", "deploy-staging"));
        root.put("deploy-production", release(production, "production", null));

        Map<String, Object> rollback = job("deploy", list(results(), plan.step(CiPlan.Stage.ROLLBACK).command(),
                        lines(plan.status().command(),
                                "[ \"$(" + plan.field("status", "endpoint.reachable") + ")\" = true ] || { echo 'production does not answer'; exit 1; }")),
                summary("rollback", "status"), artifacts(list(s.results() + "/"), null, null),
                list(map("if", DEFAULT_BRANCH_PUSH, "when", "manual")),
                list(map("job", "deploy-production", "artifacts", false)));
        root.put("rollback-production", release(rollback, "production", "rollback"));
        return root;
    }

    /** A job that moves traffic: its environment, one resource group per environment, the kubeconfig variable. */
    private Map<String, Object> release(Map<String, Object> job, String environment, String purpose) {
        Map<String, Object> m = map();
        job.forEach((k, v) -> {
            m.put(k, v);
            if (k.equals("stage")) {
                m.put("environment", map("name", environment, "deployment_tier", environment,
                        "action", purpose == null ? null : "start"));
                m.put("resource_group", environment);
                if (s.kubernetes()) {
                    m.put("variables", map("MLOPS_KUBECONFIG", "$KUBECONFIG_" + environment.toUpperCase(java.util.Locale.ROOT)));
                }
            }
        });
        m.put("timeout", "30m");
        return m;
    }

    /**
     * A job of {@code mlops} steps. Its first line prints the results as Markdown when the script ends, also when a
     * step failed: a trap in the job's own shell rather than {@code after_script}, which runs in a new shell (and
     * which gitlab-ci-local 4.64 runs after resetting the build folder, losing the results).
     */
    private Map<String, Object> job(String stage, List<Object> script, String summary, Map<String, Object> artifacts,
                                    List<Object> rules, List<Object> needs) {
        List<Object> lines = list("trap '" + summary + " || true' EXIT");
        lines.addAll(script);
        return map("stage", stage, "extends", ".mlops", "needs", needs, "script", lines,
                "artifacts", artifacts, "rules", rules, "timeout", "20m");
    }

    private String results() {
        return "mkdir -p " + s.results();
    }

    private String summary(String... results) {
        return plan.summary(results);
    }

    private static Map<String, Object> artifacts(List<Object> paths, String junit, String dotenv) {
        Map<String, Object> reports = map("junit", junit, "dotenv", dotenv);
        return map("when", "always", "expire_in", "30 days", "paths", paths,
                "reports", reports.isEmpty() ? null : reports);
    }

}
