package dev.mlops.engine.ci;

import dev.mlops.engine.spec.SpecLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parity: the Jenkins reference pipeline (when it is in the repository), the GitHub workflows and the GitLab
 * pipeline run the same mlops steps, stage for stage, on the same spec, with the gate and deploy settings of that
 * spec alone (no override of a {@code gate.*} or {@code deploy.*} value anywhere), and each deploy and rollback
 * aims at the same environment.
 */
class CiParityTest {
    static final Pattern MLOPS = Pattern.compile("(?m)^\\s*mlops ([a-z-]+)([^\\n]*)");

    @Test
    void everyCiRunsTheSameStepsOnTheSameSpec() throws IOException {
        Path root = Repo.root();
        String spec = GeneratedOutputsTest.SPEC;
        CiSettings settings = CiGenerator.settings(CiGenerator.Platform.GITHUB_ACTIONS,
                SpecLoader.load(root.resolve(spec), List.of()), root, root.resolve(spec), GeneratedOutputsTest.OPTIONS);
        List<String> expected = new ArrayList<>();
        for (CiPlan.Step s : new CiPlan(settings).steps()) {
            expected.add(step(s.command().substring("mlops ".length())));
        }
        assertThat(expected).containsExactly("validate-data", "train", "gate", "register", "deploy staging",
                "deploy production", "rollback production previous");

        List<String> github = new ArrayList<>();
        for (String wf : List.of("train.yml", "deploy-staging.yml", "deploy-production.yml", "rollback.yml")) {
            Map<String, Object> jobs = CiGeneratorTest.m(CiYaml.read(Files.readString(root.resolve(".github/workflows")
                    .resolve(wf))).get("jobs"));
            for (Object job : jobs.values()) {
                for (Map<String, Object> st : CiGeneratorTest.steps(CiGeneratorTest.m(job))) {
                    if (st.get("run") != null) {
                        github.addAll(commands(st.get("run").toString(), spec, wf));
                    }
                }
            }
        }
        assertThat(collapse(github)).as("GitHub workflows").containsExactlyElementsOf(expected);
        assertThat(Files.readString(root.resolve(".github/workflows/build.yml"))).contains("uses: ./.github/workflows/train.yml");

        Map<String, Object> gitlab = CiYaml.read(Files.readString(root.resolve(".gitlab-ci.yml")));
        List<String> gl = new ArrayList<>();
        for (String job : List.of("validate-data", "train", "deploy-staging", "deploy-production", "rollback-production")) {
            Map<String, Object> j = CiGeneratorTest.m(gitlab.get(job));
            gl.addAll(commands(String.join("\n", CiGeneratorTest.<List<String>>cast(j.get("script"))), spec, job));
        }
        assertThat(collapse(gl)).as("GitLab pipeline").containsExactlyElementsOf(expected);

        Path jenkinsfile = root.resolve("Jenkinsfile");
        if (Files.isRegularFile(jenkinsfile) && Files.readString(jenkinsfile).contains("mlTrain")) {
            assertThat(collapse(jenkins(Files.readString(jenkinsfile), spec))).as("Jenkinsfile")
                    .containsExactlyElementsOf(expected);
        } else {
            System.out.println("CiParityTest: no Jenkins reference pipeline in this checkout; compared GitHub and GitLab");
        }
    }

    /** The mlops steps of a script, in order; {@code summary} and {@code status} only report. */
    static List<String> commands(String text, String spec, String where) {
        List<String> out = new ArrayList<>();
        Matcher m = MLOPS.matcher(text);
        while (m.find()) {
            String cmd = m.group(1);
            if (cmd.equals("summary") || cmd.equals("status")) {
                continue;
            }
            String args = m.group(2);
            assertThat(args).as(where + ": mlops " + cmd + " reads the spec").contains("-f " + spec + " ");
            assertThat(args).as(where + ": no gate or deploy override").doesNotContainPattern("--set \"?(gate|deploy)\\.");
            out.add(step(cmd + args));
        }
        return out;
    }

    /** A step as the parity compares it: the command, where a release goes, and a rollback's destination. */
    static String step(String line) {
        String cmd = line.split(" ", 2)[0];
        return switch (cmd) {
            case "deploy" -> "deploy " + (line.contains("--staging") ? "staging" : "production");
            case "rollback" -> "rollback " + (line.contains("--staging") ? "staging" : "production")
                    + (line.contains("ROLLBACK_TO:-previous") ? " previous" : "");
            default -> cmd;
        };
    }

    /** Jenkins: the library steps in the order the Jenkinsfile calls them, on env.SPEC. */
    static List<String> jenkins(String text, String spec) {
        assertThat(text).as("the Jenkinsfile runs the bundled example's spec").contains("'" + spec + "'");
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("\\b(mlValidateData|mlTrain|mlGate|mlRegister|blueGreenDeploy|mlRollback)\\(([^)]*)\\)")
                .matcher(text);
        while (m.find()) {
            String args = m.group(2);
            assertThat(args).as("Jenkinsfile " + m.group(1)).contains("spec: env.SPEC").doesNotContain("set:");
            out.add(switch (m.group(1)) {
                case "mlValidateData" -> "validate-data";
                case "mlTrain" -> "train";
                case "mlGate" -> "gate";
                case "mlRegister" -> "register";
                case "blueGreenDeploy" -> "deploy " + (args.contains("'staging'") ? "staging" : "production");
                default -> "rollback production" + (args.contains("to: 'previous'") ? " previous" : "");
            });
        }
        return out;
    }

    /** Consecutive repeats are one stage (a deploy job's automatic rollback next to the manual one). */
    static List<String> collapse(List<String> steps) {
        List<String> out = new ArrayList<>();
        for (String s : steps) {
            if (out.isEmpty() || !out.get(out.size() - 1).equals(s)) {
                out.add(s);
            }
        }
        return out;
    }
}
