package dev.mlops.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReportWritersTest {

    /** Every awkward character a message might carry: markup, quotes, a table pipe, line breaks, a control char. */
    static final String NASTY = "f1 <fell> & \"dropped\" 'a lot' | see\nnext line\ttab\u0001bell";

    static CheckReport sample() {
        Map<String, String> ctx = new LinkedHashMap<>();
        ctx.put("zeta", "first in, first out"); // insertion order, not alphabetical
        ctx.put("baseline", "demo v3 (@production)");
        ctx.put("weird", "a|b <c> & \"d\"");
        List<Check> checks = List.of(
                new Check("min", "accuracy", 0.93124567, 0.91, 0.02124567, "accuracy >= 0.9", Verdict.PASS,
                        "accuracy 0.93124567 is at least the minimum 0.9."),
                new Check("maxRegressionRel", "f1_macro", 0.8549, 0.9, -0.0451,
                        "f1_macro >= 0.95 x baseline (max regression 5%)", Verdict.FAIL, NASTY),
                new Check("maxRegressionAbs", "log_loss", 0.3, null, null, "log_loss <= baseline + 0.05",
                        Verdict.SKIP, "no baseline: skipped"),
                new Check("policy", null, null, null, null, "at least one rule", Verdict.WARN, "warned <b>"),
                new Check("min", "roc_auc", Double.NaN, null, null, "roc_auc >= 0.8", Verdict.FAIL,
                        "metric 'roc_auc' is NaN"));
        return new CheckReport("Gate", checks, ctx);
    }

    static List<String> names(Iterator<String> it) {
        List<String> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    // ------------------------------------------------------------------ JSON

    @Test
    void jsonHasStableFieldOrderAndEveryCheckField() throws Exception {
        JsonNode root = Json.MAPPER.readTree(ReportWriters.json(sample()));
        assertThat(names(root.fieldNames())).containsExactly("title", "passed", "counts", "context", "checks");
        assertThat(root.get("title").asText()).isEqualTo("Gate");
        assertThat(root.get("passed").isBoolean()).isTrue();
        assertThat(root.get("passed").asBoolean()).isFalse();

        JsonNode counts = root.get("counts");
        assertThat(names(counts.fieldNames())).containsExactly("total", "pass", "warn", "fail", "skip");
        assertThat(counts.get("total").asInt()).isEqualTo(5);
        assertThat(counts.get("pass").asInt()).isEqualTo(1);
        assertThat(counts.get("warn").asInt()).isEqualTo(1);
        assertThat(counts.get("fail").asInt()).isEqualTo(2);
        assertThat(counts.get("skip").asInt()).isEqualTo(1);

        assertThat(names(root.get("context").fieldNames())).containsExactly("zeta", "baseline", "weird");
        assertThat(root.get("context").get("weird").asText()).isEqualTo("a|b <c> & \"d\"");

        JsonNode checks = root.get("checks");
        assertThat(checks).hasSize(5);
        JsonNode f1 = checks.get(1);
        assertThat(names(f1.fieldNames())).containsExactly("name", "subject", "candidate", "baseline", "delta",
                "rule", "verdict", "message");
        assertThat(f1.get("name").asText()).isEqualTo("maxRegressionRel");
        assertThat(f1.get("subject").asText()).isEqualTo("f1_macro");
        assertThat(f1.get("candidate").isNumber()).isTrue();
        assertThat(f1.get("candidate").asDouble()).isEqualTo(0.8549);
        assertThat(f1.get("baseline").asDouble()).isEqualTo(0.9);
        assertThat(f1.get("delta").asDouble()).isEqualTo(-0.0451);
        assertThat(f1.get("rule").asText()).isEqualTo("f1_macro >= 0.95 x baseline (max regression 5%)");
        assertThat(f1.get("verdict").asText()).isEqualTo("FAIL");
        assertThat(f1.get("message").asText()).isEqualTo(NASTY);
        // Full precision for machines, unlike the tables.
        assertThat(checks.get(0).get("candidate").asDouble()).isEqualTo(0.93124567);
    }

    @Test
    void jsonUsesNullForAbsentAndNonFiniteNumbers() throws Exception {
        JsonNode checks = Json.MAPPER.readTree(ReportWriters.json(sample())).get("checks");
        assertThat(checks.get(2).get("baseline").isNull()).isTrue();
        assertThat(checks.get(2).get("delta").isNull()).isTrue();
        assertThat(checks.get(3).get("subject").isNull()).isTrue();
        assertThat(checks.get(3).get("candidate").isNull()).isTrue();
        assertThat(checks.get(4).get("candidate").isNull()).isTrue(); // NaN is not JSON
        assertThat(checks.get(4).get("message").asText()).contains("NaN");
    }

    @Test
    void jsonOfAPassingReport() throws Exception {
        CheckReport ok = new CheckReport("Data checks",
                List.of(new Check("rows", "train.csv", 569.0, null, null, "rows >= 100", Verdict.PASS, "569 rows")),
                Map.of());
        JsonNode root = Json.MAPPER.readTree(ReportWriters.json(ok));
        assertThat(root.get("passed").asBoolean()).isTrue();
        assertThat(root.get("context").isObject()).isTrue();
        assertThat(root.get("checks").get(0).get("candidate").asDouble()).isEqualTo(569.0);
    }

    // ------------------------------------------------------------------ JUnit XML

    static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    static Element child(Element e, String tag) {
        NodeList l = e.getElementsByTagName(tag);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    @Test
    void junitXmlIsWellFormedWithCountsAndOneCasePerCheck() throws Exception {
        Document doc = parse(ReportWriters.junitXml(sample(), "mlops <gate> & \"co\""));
        Element suite = doc.getDocumentElement();
        assertThat(suite.getTagName()).isEqualTo("testsuite");
        assertThat(suite.getAttribute("name")).isEqualTo("mlops <gate> & \"co\"");
        assertThat(suite.getAttribute("tests")).isEqualTo("5");
        assertThat(suite.getAttribute("failures")).isEqualTo("2");
        assertThat(suite.getAttribute("skipped")).isEqualTo("1");
        assertThat(suite.getAttribute("errors")).isEqualTo("0");

        NodeList cases = suite.getElementsByTagName("testcase");
        List<String> caseNames = new ArrayList<>();
        for (int i = 0; i < cases.getLength(); i++) {
            caseNames.add(((Element) cases.item(i)).getAttribute("name"));
        }
        assertThat(caseNames).containsExactly("min accuracy", "maxRegressionRel f1_macro",
                "maxRegressionAbs log_loss", "policy", "min roc_auc");
        assertThat(suite.getElementsByTagName("failure").getLength()).isEqualTo(2);
        assertThat(suite.getElementsByTagName("skipped").getLength()).isEqualTo(1);
    }

    @Test
    void junitFailureCarriesTheSentenceExactlyExceptUnrepresentableControlCharacters() throws Exception {
        Document doc = parse(ReportWriters.junitXml(sample(), "gate"));
        Element f1 = (Element) doc.getElementsByTagName("testcase").item(1);
        Element failure = child(f1, "failure");
        assertThat(failure).isNotNull();
        // XML 1.0 cannot carry U+0001 at all, not even as &#1;, so it becomes visible text.
        assertThat(failure.getAttribute("message")).isEqualTo(NASTY.replace("\u0001", "\\u0001"));
        assertThat(failure.getTextContent()).contains("f1_macro >= 0.95 x baseline").contains("candidate: 0.8549")
                .contains("baseline: 0.9");
    }

    @Test
    void junitSkipAndWarn() throws Exception {
        Document doc = parse(ReportWriters.junitXml(sample(), "gate"));
        Element skip = (Element) doc.getElementsByTagName("testcase").item(2);
        assertThat(child(skip, "skipped").getAttribute("message")).isEqualTo("no baseline: skipped");
        Element warn = (Element) doc.getElementsByTagName("testcase").item(3);
        assertThat(child(warn, "failure")).isNull();
        assertThat(child(warn, "skipped")).isNull();
        assertThat(child(warn, "system-out").getTextContent()).isEqualTo("WARN: warned <b>");
    }

    @Test
    void junitPropertiesCarryTheContext() throws Exception {
        Document doc = parse(ReportWriters.junitXml(sample(), "gate"));
        NodeList props = doc.getElementsByTagName("property");
        assertThat(props.getLength()).isEqualTo(3);
        assertThat(((Element) props.item(2)).getAttribute("value")).isEqualTo("a|b <c> & \"d\"");
    }

    @Test
    void junitSurvivesEveryControlCharacterAndLoneSurrogates() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        all.append('\uD800').append("x").append('\uFFFE').append("😀");
        String s = all.toString();
        CheckReport r = new CheckReport(s, List.of(new Check(s, s, null, null, null, s, Verdict.FAIL, s),
                new Check(s, s, null, null, null, s, Verdict.WARN, s)), Map.of(s, s));
        Document doc = parse(ReportWriters.junitXml(r, s));
        String message = ((Element) doc.getElementsByTagName("failure").item(0)).getAttribute("message");
        assertThat(message).contains("\\u0000").contains("\\u001F").contains("\\uD800").contains("\\uFFFE")
                .contains("\t\n").contains("😀");
    }

    // ------------------------------------------------------------------ Markdown

    /** Pipes not preceded by a backslash: the column separators a Markdown table parser sees. */
    static long unescapedPipes(String line) {
        long n = 0;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '|' && (i == 0 || line.charAt(i - 1) != '\\')) {
                n++;
            }
        }
        return n;
    }

    @Test
    void markdownTableHasSevenColumnsOnEveryRowWhateverTheMessages() {
        String md = ReportWriters.markdown(sample());
        List<String> table = md.lines().filter(l -> l.startsWith("|")).toList();
        assertThat(table).hasSize(2 + 5);
        assertThat(table.get(0)).isEqualTo("| check | subject | candidate | baseline | delta | rule | verdict |");
        assertThat(table).allSatisfy(l -> assertThat(unescapedPipes(l)).isEqualTo(8));
    }

    @Test
    void markdownHeadingVerdictContextAndNumbers() {
        String md = ReportWriters.markdown(sample());
        assertThat(md).startsWith("## Gate\n");
        assertThat(md).contains("**Verdict: FAILED** (5 checks: 1 passed, 2 failed, 1 warned, 1 skipped)");
        assertThat(md).contains("- **weird**: a\\|b &lt;c&gt; &amp; \"d\"");
        String accuracy = md.lines().filter(l -> l.startsWith("| min | accuracy")).findFirst().orElseThrow();
        assertThat(accuracy).isEqualTo("| min | accuracy | 0.931246 | 0.91 | +0.0212457 | accuracy &gt;= 0.9 | PASS |");
        String f1 = md.lines().filter(l -> l.startsWith("| maxRegressionRel")).findFirst().orElseThrow();
        assertThat(f1).contains("| 0.8549 | 0.9 | -0.0451 |").endsWith("| **FAIL** |");
        String skip = md.lines().filter(l -> l.startsWith("| maxRegressionAbs")).findFirst().orElseThrow();
        assertThat(skip).contains("| 0.3 | — | — |");
        assertThat(md).contains("| NaN |");
    }

    @Test
    void markdownListsFailuresWithEscapedSentences() {
        String md = ReportWriters.markdown(sample());
        int at = md.indexOf("### Failures");
        assertThat(at).isPositive();
        List<String> bullets = md.substring(at).lines().filter(l -> l.startsWith("- ")).limit(2).toList();
        assertThat(bullets).containsExactly(
                "- **maxRegressionRel f1_macro**: f1 &lt;fell&gt; &amp; \"dropped\" 'a lot' \\| see<br>next line "
                        + "tab\\u0001bell",
                "- **min roc_auc**: metric 'roc_auc' is NaN");
        assertThat(md).contains("### Warnings\n\n- **policy**: warned &lt;b&gt;");
    }

    @Test
    void markdownEscapesFormattingButNotIntrawordUnderscores() {
        assertThat(ReportWriters.md("f1_macro")).isEqualTo("f1_macro");
        assertThat(ReportWriters.md("_x_ *y* `z` [l](u) a\\b")).isEqualTo("\\_x\\_ \\*y\\* \\`z\\` \\[l\\](u) a\\\\b");
        assertThat(ReportWriters.md("a\r\nb")).isEqualTo("a<br>b");
    }

    // ------------------------------------------------------------------ text

    @Test
    void textEndsWithTheVerdictAndAlignsColumns() {
        String text = ReportWriters.text(sample());
        List<String> lines = text.lines().toList();
        assertThat(lines.get(lines.size() - 1))
                .isEqualTo("Gate: FAILED (5 checks: 1 passed, 2 failed, 1 warned, 1 skipped)");
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("CHECK")).findFirst().orElseThrow());
        int verdictCol = lines.get(header).indexOf("VERDICT");
        int ruleCol = lines.get(header).indexOf("RULE");
        List<String> rows = lines.subList(header + 1, header + 6);
        assertThat(rows).extracting(l -> l.substring(verdictCol))
                .containsExactly("PASS", "FAIL", "SKIP", "WARN", "FAIL");
        assertThat(rows.get(1).substring(ruleCol)).startsWith("f1_macro >= 0.95 x baseline");
        // The embedded newline did not split a line.
        assertThat(lines).filteredOn(l -> l.startsWith("FAIL ")).hasSize(2);
        assertThat(lines).noneMatch(l -> l.startsWith("next line"));
        assertThat(text).contains("  zeta: first in, first out");
    }

    @Test
    void textOfAPassingReport() {
        CheckReport ok = new CheckReport("Gate",
                List.of(new Check("min", "accuracy", 0.95, null, null, "accuracy >= 0.9", Verdict.PASS, "ok")),
                Map.of("baseline", "none"));
        List<String> lines = ReportWriters.text(ok).lines().toList();
        assertThat(lines.get(lines.size() - 1)).isEqualTo("Gate: PASSED (1 check: 1 passed, 0 failed, 0 warned, 0 skipped)");
    }

    // ------------------------------------------------------------------ files

    @Test
    void reportFilesWritesThreeCompleteFilesAndNothingElse(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("reports/gate");
        ReportFileSet paths = ReportFiles.write(sample(), out, "gate");
        assertThat(paths.json()).isEqualTo(out.resolve("gate.json"));
        assertThat(paths.junitXml()).isEqualTo(out.resolve("gate.junit.xml"));
        assertThat(paths.markdown()).isEqualTo(out.resolve("gate.md"));
        assertThat(Files.readString(paths.json())).isEqualTo(ReportWriters.json(sample()));
        assertThat(Files.readString(paths.junitXml())).isEqualTo(ReportWriters.junitXml(sample(), "Gate"));
        assertThat(Files.readString(paths.markdown())).isEqualTo(ReportWriters.markdown(sample()));
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("gate.json", "gate.junit.xml", "gate.md");
        }
        // Overwriting an earlier report is fine.
        ReportFiles.write(sample(), out, "gate");
        assertThat(paths.all()).allMatch(Files::isRegularFile);
    }

    @Test
    void reportFilesRejectsBaseNamesThatAreNotFileNames(@TempDir Path dir) {
        assertThatThrownBy(() -> ReportFiles.write(sample(), dir, "../gate")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReportFiles.write(sample(), dir, " ")).isInstanceOf(IllegalArgumentException.class);
    }
}
