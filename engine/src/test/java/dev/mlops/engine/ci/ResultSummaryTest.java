package dev.mlops.engine.ci;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResultSummaryTest {
    static final String GATE = """
            {"passed": false, "exitCode": 1, "baseline": "v1", "failures": [{"name": "min"}],
             "report": {"title": "gate", "passed": false, "counts": {"total": 2, "pass": 1, "fail": 1},
               "checks": [
                 {"name": "min", "subject": "accuracy", "candidate": 0.95, "baseline": null, "delta": null,
                  "rule": ">= 0.93", "verdict": "PASS"},
                 {"name": "maxRegressionRel", "subject": "f1_macro", "candidate": 0.8, "baseline": 0.97,
                  "delta": -0.17, "rule": "rel change >= -0.05", "verdict": "FAIL"}]},
             "reports": {"json": "g.json", "junitXml": "g.xml", "markdown": "g.md"}}
            """;
    static final String RELEASE = """
            {"release": {"id": "r1", "kind": "deploy", "app": "cancer", "environment": "staging", "color": "green",
              "modelVersion": "3", "outcome": "SUCCEEDED", "reason": null, "alias": "staging"},
             "target": "local | port 8180", "trafficOn": "green", "exitCode": 0}
            """;

    @Test
    void theGateTableHasOneRowPerBoundWithTheFailureMarked() {
        String md = ResultSummary.markdown("gate.json", GATE);
        assertThat(md).startsWith("### Gate: FAILED")
                .contains("| check | subject | candidate | baseline | delta | rule | verdict |")
                .contains("| min | accuracy | 0.9500 |  |  | >= 0.93 | pass |")
                .contains("| maxRegressionRel | f1_macro | 0.8000 | 0.9700 | -0.1700 | rel change >= -0.05 | **FAIL** |");
    }

    @Test
    void theReleaseRecordIsATableAndPipesAreEscaped() {
        String md = ResultSummary.markdown("release.json", RELEASE);
        assertThat(md).startsWith("### Release deploy to staging: SUCCEEDED")
                .contains("| modelVersion | 3 |", "| traffic on | green |", "| target | local \\| port 8180 |")
                .doesNotContain("reason");
    }

    @Test
    void fieldsAreReadByDottedPath() {
        assertThat(ResultSummary.field(RELEASE, "release.id")).isEqualTo("r1");
        assertThat(ResultSummary.field(RELEASE, "release.reason")).isNull();
        assertThat(ResultSummary.field(RELEASE, "exitCode")).isEqualTo("0");
        assertThat(ResultSummary.field(GATE, "report.checks.1.subject")).isEqualTo("f1_macro");
        assertThat(ResultSummary.field("not json", "x")).isNull();
    }

    @Test
    void errorsAndUnknownResultsStillPrint() {
        assertThat(ResultSummary.markdown("x.json", "{\"error\": {\"message\": \"boom\", \"exitCode\": 2, \"kind\": \"input\"}}"))
                .contains("x.json: error", "boom (exit 2)");
        assertThat(ResultSummary.markdown("x.json", "{\"other\": 1}")).contains("```json");
    }
}
