package dev.mlops.engine.spec;

import dev.mlops.engine.InputException;
import dev.mlops.engine.testing.Fifos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class SpecLoaderTest {
    @TempDir
    Path dir;

    private static final String FULL = """
            name: cancer
            data:
              path: data/train.csv
              target: diagnosis
              sensitive: group
              reference: data/ref.csv
              checks:
                minRows: 100
                maxNullShare: 0.01
                drift: {psiWarn: 0.1, psiFail: 0.3, bins: 8}
              schema:
                mean_radius: {type: numeric, min: 0, max: 50}
                group: {type: categorical, values: [a, b]}
            model:
              algorithm: logistic
              grid:
                C: [0.1, 1, 10]
              folds: 3
              seed: 7
            gate:
              onMissingBaseline: fail
              metrics:
                accuracy: {min: 0.9}
                f1_macro: {maxRegressionRel: 0.05}
                demographic_parity_ratio: {min: 0.8}
            tracking:
              uri: http://mlflow.example:5000
              registeredModel: cancer-clf
            deploy:
              target: kubernetes
              namespace: ml
              smokeSamples: data/smoke.csv
            """;

    private Path write(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @Test
    void readsEverySectionAndResolvesPathsAgainstTheSpecFolder() throws Exception {
        Path f = write("proj/mlops.yaml", FULL);
        PipelineSpec s = SpecLoader.load(f);
        assertThat(s.name()).isEqualTo("cancer");
        assertThat(s.data().path()).isEqualTo(dir.resolve("proj/data/train.csv").toAbsolutePath());
        assertThat(s.data().reference()).isEqualTo(dir.resolve("proj/data/ref.csv").toAbsolutePath());
        assertThat(s.data().checks().minRows()).isEqualTo(100);
        assertThat(s.data().checks().maxDuplicateShare()).isEqualTo(0.05); // default kept
        assertThat(s.data().checks().drift().psiFail()).isEqualTo(0.3);
        assertThat(s.data().checks().drift().ksPValue()).isEqualTo(0.05);
        assertThat(s.data().schema().get("group").values()).containsExactly("a", "b");
        assertThat(s.model().algorithm()).isEqualTo(Algorithm.LOGISTIC);
        assertThat(s.model().grid().get("C")).containsExactly(0.1, 1.0, 10.0);
        assertThat(s.model().seed()).isEqualTo(7L);
        assertThat(s.gate().onMissingBaseline()).isEqualTo(MissingBaseline.FAIL);
        assertThat(s.gate().metrics().get("f1_macro").maxRegressionRel()).isEqualTo(0.05);
        assertThat(s.gate().baselineAlias()).isEqualTo("production");
        assertThat(s.tracking().experiment()).isEqualTo("cancer");
        assertThat(s.tracking().registeredModel()).isEqualTo("cancer-clf");
        assertThat(s.deploy().app()).isEqualTo("cancer");
        assertThat(s.deploy().smokeSamples()).isEqualTo(dir.resolve("proj/data/smoke.csv").toAbsolutePath());
    }

    @Test
    void minimalSpecGetsDefaultsNamedAfterItsFolder() throws Exception {
        Path f = write("breast/mlops.yaml", "data: {path: d.csv, target: y}\n");
        PipelineSpec s = SpecLoader.load(f);
        assertThat(s.name()).isEqualTo("breast");
        assertThat(s.model().algorithm()).isEqualTo(Algorithm.LOGISTIC);
        assertThat(s.model().folds()).isEqualTo(5);
        assertThat(s.gate().onMissingBaseline()).isEqualTo(MissingBaseline.ABSOLUTE_ONLY);
        assertThat(s.tracking().uri()).isEqualTo("mlruns");
        assertThat(s.tracking().registeredModel()).isEqualTo("breast");
        assertThat(s.deploy().target()).isEqualTo("local");
        assertThat(s.deploy().history()).isEqualTo(5);
    }

    @Test
    void unknownKeyNamesFileLineKeyAndTheKeysThatExist() throws Exception {
        Path f = write("mlops.yaml", "data:\n  path: d.csv\n  target: y\nmodel:\n  algorithm: cart\n  sed: 4\n");
        assertThatThrownBy(() -> SpecLoader.load(f))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ":6: 'model.sed' is not a known key")
                .hasMessageContaining("seed");
    }

    @Test
    void wrongTypeNamesLineKeyAndExpectedType() throws Exception {
        Path f = write("mlops.yaml", "data:\n  path: d.csv\n  target: y\nmodel:\n  folds: many\n");
        assertThatThrownBy(() -> SpecLoader.load(f))
                .isInstanceOf(InputException.class)
                .hasMessage(f + ":5: 'model.folds' expects a whole number, got 'many'");
    }

    @Test
    void unknownAlgorithmListsTheChoices() throws Exception {
        Path f = write("mlops.yaml", "data:\n  path: d.csv\n  target: y\nmodel:\n  algorithm: deepnet\n");
        assertThatThrownBy(() -> SpecLoader.load(f))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ":5: 'model.algorithm'")
                .hasMessageContaining("deepnet");
    }

    @Test
    void missingRequiredKeysAreNamed() throws Exception {
        Path noTarget = write("a.yaml", "data:\n  path: d.csv\n");
        assertThatThrownBy(() -> SpecLoader.load(noTarget))
                .hasMessage(noTarget + ":1: 'data.target' is required: the name of the label column");
        Path noData = write("b.yaml", "name: x\n");
        assertThatThrownBy(() -> SpecLoader.load(noData)).hasMessageContaining("'data' is required");
    }

    @Test
    void policyNamingAnUnknownMetricFailsWithASuggestion() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ngate:\n  metrics:\n    f1_macr: {min: 0.9}\n");
        assertThatThrownBy(() -> SpecLoader.load(f))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ":4: 'gate.metrics.f1_macr': unknown metric 'f1_macr'")
                .hasMessageContaining("did you mean 'f1_macro'?");
    }

    @Test
    void fairnessBoundWithoutSensitiveColumnIsRejected() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ngate:\n  metrics:\n    disparate_impact_ratio: {min: 0.8}\n");
        assertThatThrownBy(() -> SpecLoader.load(f)).hasMessageContaining("needs 'data.sensitive'");
    }

    @Test
    void overridesApplyBeforeValidationAndErrorsNameTheOverride() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\nmodel: {seed: 1}\n");
        PipelineSpec s = SpecLoader.load(f, List.of("model.seed=99", "model.grid.C=[1, 2]", "gate.metrics.accuracy.min=0.75"));
        assertThat(s.model().seed()).isEqualTo(99L);
        assertThat(s.model().grid().get("C")).containsExactly(1.0, 2.0);
        assertThat(s.gate().metrics().get("accuracy").min()).isEqualTo(0.75);

        assertThatThrownBy(() -> SpecLoader.load(f, List.of("model.folds=lots")))
                .hasMessage(f + ": --set model.folds=lots: 'model.folds' expects a whole number, got 'lots'");
        assertThatThrownBy(() -> SpecLoader.load(f, List.of("model.seed")))
                .hasMessageContaining("expected key.path=value");
    }

    @Test
    void emptyMissingAndBrokenFiles() throws Exception {
        Path empty = write("empty.yaml", "");
        assertThatThrownBy(() -> SpecLoader.load(empty)).hasMessageContaining("spec file is empty");
        assertThatThrownBy(() -> SpecLoader.load(dir.resolve("none.yaml"))).hasMessage(dir.resolve("none.yaml") + ": spec file not found");
        Path broken = write("broken.yaml", "data:\n  path: [unclosed\n");
        assertThatThrownBy(() -> SpecLoader.load(broken)).isInstanceOf(InputException.class).hasMessageContaining("not valid YAML");
    }

    @Test
    void valuesOutOfRangeAreRejected() throws Exception {
        Path f = write("mlops.yaml", "data:\n  path: d.csv\n  target: y\n  checks:\n    maxNullShare: 1.5\n");
        assertThatThrownBy(() -> SpecLoader.load(f)).hasMessage(f + ":5: 'data.checks.maxNullShare' must be a share between 0 and 1, got 1.5");
    }

    @Test
    void deployImageIsTaggedWithTheCommitUnlessItCarriesATag() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ndeploy: {image: 'reg.example:5000/team/serve'}\n");
        DeploySpec d = SpecLoader.load(f).deploy();
        assertThat(d.imageFor("abc123")).isEqualTo("reg.example:5000/team/serve:abc123"); // registry port is not a tag
        assertThat(d.imageFor("unknown")).isEqualTo("reg.example:5000/team/serve");
        DeploySpec tagged = SpecLoader.load(f, List.of("deploy.image=reg.example/serve:1.2")).deploy();
        assertThat(tagged.imageFor("abc123")).isEqualTo("reg.example/serve:1.2");
        assertThat(DeploySpec.defaults().imageFor("abc123")).isNull();
    }

    // ---------------------------------------------------------------- --set on names with dots (issue 8 §3.4)

    @Test
    void overrideAddressesAMetricNameWithDotsWhenTheNameIsQuoted() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ngate:\n  metrics:\n    \"f1.class_0\": {min: 0.5}\n");
        PipelineSpec s = SpecLoader.load(f, List.of("gate.metrics.\"f1.class_0\".min=0.95",
                "gate.metrics.'recall.class_1'.min=0.8"));
        assertThat(s.gate().metrics()).containsOnlyKeys("f1.class_0", "recall.class_1");
        assertThat(s.gate().metrics().get("f1.class_0").min()).isEqualTo(0.95);
        assertThat(s.gate().metrics().get("recall.class_1").min()).isEqualTo(0.8);
    }

    @Test
    void anErrorCausedByAnOverrideNamesTheOverrideNotAValidLineOfTheFile() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ngate:\n  metrics:\n    accuracy: {min: 0.9}\n");
        // Unquoted, the name is split at its dot: the error must point at the --set and say how to quote it.
        assertThatThrownBy(() -> SpecLoader.load(f, List.of("gate.metrics.f1.class_0.min=0.95")))
                .isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ": --set gate.metrics.f1.class_0.min=0.95: ")
                .hasMessageNotContaining(f + ":2").hasMessageNotContaining(f + ":3")
                .hasMessageContaining("gate.metrics.\"f1.class_0\".min");
        assertThatThrownBy(() -> SpecLoader.load(f, List.of("gate.metrics.\"f1.class_0\".min=high")))
                .hasMessage(f + ": --set gate.metrics.\"f1.class_0\".min=high: 'gate.metrics.\"f1.class_0\".min'"
                        + " expects a number, got 'high'");
        assertThatThrownBy(() -> SpecLoader.load(f, List.of("gate.metrics.\"f1.class_0.min=1")))
                .hasMessageStartingWith("--set gate.metrics.\"f1.class_0.min=1: ").hasMessageContaining("quote");
    }

    // ---------------------------------------------------------------- YAML aliases and duplicate keys (issue 9 §18)

    @Test
    void aliasesResolveToTheAnchoredValueNotToTheAnchorsName() throws Exception {
        Path f = write("mlops.yaml", """
                data: {path: d.csv, target: y}
                tracking:
                  experiment: &exp cancer-screening
                  registeredModel: *exp
                gate:
                  metrics:
                    accuracy: &floor {min: 0.9}
                    f1_macro: *floor
                """);
        PipelineSpec s = SpecLoader.load(f);
        assertThat(s.tracking().registeredModel()).isEqualTo("cancer-screening");
        assertThat(s.gate().metrics().get("f1_macro").min()).isEqualTo(0.9);
    }

    @Test
    void anAliasWithoutAnAnchorAndAMergeKeyAreClearErrors() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ntracking:\n  registeredModel: *exp\n");
        assertThatThrownBy(() -> SpecLoader.load(f)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ":3: ").hasMessageContaining("alias '*exp'").hasMessageContaining("anchor");
        Path merge = write("merge.yaml", "base: &b {path: d.csv}\ndata:\n  <<: *b\n  target: y\n");
        assertThatThrownBy(() -> SpecLoader.load(merge)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(merge + ":3: ").hasMessageContaining("merge key");
    }

    @Test
    void aliasesThatExpandWithoutBoundAreRefused() throws Exception {
        StringBuilder y = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 9; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [").append(("*a" + (i - 1) + ", ").repeat(9))
                    .append("*a").append(i - 1).append("]\n");
        }
        Path f = write("mlops.yaml", y + "data: {path: d.csv, target: y}\n");
        assertThatThrownBy(() -> SpecLoader.load(f)).isInstanceOf(InputException.class).hasMessageContaining("alias");
    }

    @Test
    void aDuplicateKeyNamesBothLines() throws Exception {
        Path f = write("mlops.yaml", "data:\n  path: a.csv\n  target: y\n  path: b.csv\n");
        assertThatThrownBy(() -> SpecLoader.load(f)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ":4: 'data.path' appears twice (lines 2 and 4)");
        Path sections = write("sections.yaml", "data: {path: a.csv, target: y}\nmodel: {seed: 1}\nmodel: {seed: 2}\n");
        assertThatThrownBy(() -> SpecLoader.load(sections))
                .hasMessageStartingWith(sections + ":3: 'model' appears twice (lines 2 and 3)");
    }

    // ---------------------------------------------------------------- files that are not files (issue 9 §19)

    @Test
    void aSpecThatIsAFifoIsRefusedInsteadOfReadForever() throws Exception {
        Path fifo = Fifos.make(dir.resolve("mlops.yaml"));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () ->
                assertThatThrownBy(() -> SpecLoader.load(fifo)).isInstanceOf(InputException.class)
                        .hasMessage(fifo + ": is not a regular file (a pipe, device or socket); expected a YAML file"));
    }

    @Test
    void valuesUsedInPathsAreCheckedWhenTheSpecIsRead() throws Exception {
        Path f = write("mlops.yaml", "data: {path: d.csv, target: y}\ntracking: {registeredModel: ../x}\n");
        assertThatThrownBy(() -> SpecLoader.load(f)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(f + ":2: 'tracking.registeredModel' ").hasMessageContaining("'../x'");
        Path app = write("app.yaml", "data: {path: d.csv, target: y}\ndeploy: {app: ../../etc}\n");
        assertThatThrownBy(() -> SpecLoader.load(app)).isInstanceOf(InputException.class)
                .hasMessageStartingWith(app + ":2: 'deploy.app' ");
    }
}
