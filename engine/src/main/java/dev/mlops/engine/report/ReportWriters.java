package dev.mlops.engine.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.engine.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Renders any {@link CheckReport} for machines (JSON, JUnit XML for CI test trends and annotations) and for people
 * (Markdown for job summaries and pull requests, aligned text for a terminal). All output is a String; writing files
 * is {@link ReportFiles}' job.
 */
public final class ReportWriters {
    private static final String NONE = "—";

    private ReportWriters() {
    }

    // ---------------------------------------------------------------- JSON

    /**
     * Fields in a fixed order: title, passed, counts{total,pass,warn,fail,skip}, context{...in report order},
     * checks[{name, subject, candidate, baseline, delta, rule, verdict, message}]. Numbers are JSON numbers at full
     * precision; absent values and values JSON cannot hold (NaN, infinities) are null.
     */
    public static String json(CheckReport report) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("title", report.title());
        root.put("passed", report.passed());
        ObjectNode counts = root.putObject("counts");
        counts.put("total", report.checks().size());
        for (Verdict v : Verdict.values()) {
            counts.put(v.name().toLowerCase(java.util.Locale.ROOT), count(report, v));
        }
        ObjectNode context = root.putObject("context");
        report.context().forEach(context::put);
        ArrayNode checks = root.putArray("checks");
        for (Check c : report.checks()) {
            ObjectNode n = checks.addObject();
            n.put("name", c.name());
            n.put("subject", c.subject());
            number(n, "candidate", c.candidate());
            number(n, "baseline", c.baseline());
            number(n, "delta", c.delta());
            n.put("rule", c.rule());
            n.put("verdict", c.verdict() == null ? null : c.verdict().name());
            n.put("message", c.message());
        }
        return Json.write(root) + "\n";
    }

    private static void number(ObjectNode n, String field, Double v) {
        if (v == null || !Double.isFinite(v)) {
            n.putNull(field);
        } else {
            n.put(field, v.doubleValue());
        }
    }

    private static int count(CheckReport report, Verdict v) {
        return (int) report.checks().stream().filter(c -> c.verdict() == v).count();
    }

    // ---------------------------------------------------------------- JUnit XML

    /**
     * One {@code <testsuite>} with the context as properties and one {@code <testcase>} per check, named
     * "name subject". FAIL becomes {@code <failure>}, SKIP {@code <skipped>}; PASS and WARN pass with their sentence
     * in {@code <system-out>}. Characters XML 1.0 cannot carry at all (most control characters, lone surrogates)
     * are written as visible {@code \\uXXXX} text.
     */
    public static String junitXml(CheckReport report, String suiteName) {
        StringBuilder x = new StringBuilder(1024);
        x.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        x.append("<testsuite name=\"").append(attr(suiteName))
                .append("\" tests=\"").append(report.checks().size())
                .append("\" failures=\"").append(count(report, Verdict.FAIL))
                .append("\" errors=\"0\" skipped=\"").append(count(report, Verdict.SKIP))
                .append("\">\n");
        if (!report.context().isEmpty()) {
            x.append("  <properties>\n");
            for (Map.Entry<String, String> e : report.context().entrySet()) {
                x.append("    <property name=\"").append(attr(e.getKey())).append("\" value=\"")
                        .append(attr(e.getValue())).append("\"/>\n");
            }
            x.append("  </properties>\n");
        }
        for (Check c : report.checks()) {
            x.append("  <testcase classname=\"").append(attr(suiteName)).append("\" name=\"")
                    .append(attr(caseName(c))).append('"');
            Verdict v = c.verdict();
            String message = c.message() == null ? "" : c.message();
            if (v == Verdict.FAIL) {
                x.append(">\n    <failure message=\"").append(attr(message)).append("\" type=\"FAIL\">")
                        .append(text(details(c))).append("</failure>\n  </testcase>\n");
            } else if (v == Verdict.SKIP) {
                x.append(">\n    <skipped message=\"").append(attr(message)).append("\"/>\n  </testcase>\n");
            } else {
                x.append(">\n    <system-out>").append(text((v == null ? "" : v.name() + ": ") + message))
                        .append("</system-out>\n  </testcase>\n");
            }
        }
        x.append("</testsuite>\n");
        return x.toString();
    }

    private static String caseName(Check c) {
        String name = c.name() == null ? "" : c.name();
        return c.subject() == null || c.subject().isEmpty() ? name : name + " " + c.subject();
    }

    private static String details(Check c) {
        return (c.message() == null ? "" : c.message()) + "\n"
                + "rule: " + (c.rule() == null ? "" : c.rule()) + "\n"
                + "candidate: " + plain(c.candidate()) + "\n"
                + "baseline: " + plain(c.baseline()) + "\n"
                + "delta: " + plain(c.delta()) + "\n";
    }

    private static String plain(Double v) {
        return v == null ? "none" : Double.toString(v);
    }

    /** Escapes for an attribute value; line breaks and tabs as references so parsers do not normalise them away. */
    static String attr(String s) {
        return escape(s, true);
    }

    static String text(String s) {
        return escape(s, false);
    }

    private static String escape(String s, boolean attribute) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append(attribute ? "&quot;" : "\"");
                case '\'' -> b.append(attribute ? "&apos;" : "'");
                case '\n' -> b.append(attribute ? "&#10;" : "\n");
                case '\t' -> b.append(attribute ? "&#9;" : "\t");
                case '\r' -> b.append("&#13;");
                default -> {
                    if (xmlChar(cp)) {
                        b.appendCodePoint(cp);
                    } else {
                        b.append(String.format("\\u%04X", cp));
                    }
                }
            }
        }
        return b.toString();
    }

    /** XML 1.0 "Char" production, minus the three whitespace controls handled above. */
    private static boolean xmlChar(int cp) {
        return (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
    }

    // ---------------------------------------------------------------- Markdown

    /**
     * A heading, the verdict, the context as bullets, the table (check | subject | candidate | baseline | delta |
     * rule | verdict), then the failures and warnings with their sentences. Cell text is escaped so that pipes,
     * HTML and emphasis characters in messages render literally.
     */
    public static String markdown(CheckReport report) {
        StringBuilder m = new StringBuilder(1024);
        m.append("## ").append(md(report.title())).append("\n\n");
        m.append("**Verdict: ").append(report.passed() ? "PASSED" : "FAILED").append("** (")
                .append(md(tally(report))).append(")\n\n");
        for (Map.Entry<String, String> e : report.context().entrySet()) {
            m.append("- **").append(md(e.getKey())).append("**: ").append(md(e.getValue())).append('\n');
        }
        if (!report.context().isEmpty()) {
            m.append('\n');
        }
        if (report.checks().isEmpty()) {
            m.append("_No checks._\n");
        } else {
            m.append("| check | subject | candidate | baseline | delta | rule | verdict |\n");
            m.append("| --- | --- | ---: | ---: | ---: | --- | --- |\n");
            for (Check c : report.checks()) {
                m.append("| ").append(cell(c.name())).append(" | ").append(cell(c.subject()))
                        .append(" | ").append(num(c.candidate(), false))
                        .append(" | ").append(num(c.baseline(), false))
                        .append(" | ").append(num(c.delta(), true))
                        .append(" | ").append(cell(c.rule()))
                        .append(" | ").append(c.verdict() == Verdict.FAIL ? "**FAIL**" : String.valueOf(c.verdict()))
                        .append(" |\n");
            }
        }
        list(m, "Failures", report.failures());
        list(m, "Warnings", report.warnings());
        return m.toString();
    }

    private static void list(StringBuilder m, String heading, List<Check> checks) {
        if (checks.isEmpty()) {
            return;
        }
        m.append("\n### ").append(heading).append("\n\n");
        for (Check c : checks) {
            m.append("- **").append(md(caseName(c))).append("**: ").append(md(c.message())).append('\n');
        }
    }

    private static String num(Double v, boolean signed) {
        if (v == null) {
            return NONE;
        }
        return signed ? Numbers.signed(v) : Numbers.format(v);
    }

    private static String cell(String s) {
        return s == null || s.isEmpty() ? NONE : md(s);
    }

    /**
     * Markdown-escapes text for inline use: backslash-escapes the punctuation that could start formatting, HTML
     * entities for &amp; &lt; &gt;, line breaks as {@code <br>} (tables are one line per row). Underscores inside words
     * (f1_macro) are left alone: GitHub Markdown never treats them as emphasis, and escaping them would clutter the
     * raw file.
     */
    static String md(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            switch (cp) {
                case '\\', '|', '`', '*', '[', ']', '#', '~' -> b.append('\\').append((char) cp);
                case '_' -> {
                    boolean inWord = i > 0 && i + 1 < s.length()
                            && Character.isLetterOrDigit(s.charAt(i - 1)) && Character.isLetterOrDigit(s.charAt(i + 1));
                    b.append(inWord ? "_" : "\\_");
                }
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\r' -> {
                    if (!(i + 1 < s.length() && s.charAt(i + 1) == '\n')) {
                        b.append("<br>");
                    }
                }
                case '\n' -> b.append("<br>");
                case '\t' -> b.append(' ');
                default -> visible(b, cp);
            }
            i += n;
        }
        return b.toString();
    }

    private static void visible(StringBuilder b, int cp) {
        if (Character.isISOControl(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            b.append(String.format("\\u%04X", cp));
        } else {
            b.appendCodePoint(cp);
        }
    }

    // ---------------------------------------------------------------- text

    /** For a terminal: title, context, an aligned table, failures and warnings, and the verdict on the last line. */
    public static String text(CheckReport report) {
        StringBuilder t = new StringBuilder(1024);
        t.append(flat(report.title())).append('\n');
        for (Map.Entry<String, String> e : report.context().entrySet()) {
            t.append("  ").append(flat(e.getKey())).append(": ").append(flat(e.getValue())).append('\n');
        }
        if (!report.checks().isEmpty()) {
            t.append('\n');
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[]{"CHECK", "SUBJECT", "CANDIDATE", "BASELINE", "DELTA", "RULE", "VERDICT"});
            for (Check c : report.checks()) {
                rows.add(new String[]{flat(c.name()), flat(c.subject()), plainNum(c.candidate(), false),
                        plainNum(c.baseline(), false), plainNum(c.delta(), true), flat(c.rule()),
                        String.valueOf(c.verdict())});
            }
            int[] width = new int[7];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].codePointCount(0, r[i].length()));
                }
            }
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < r.length; i++) {
                    boolean numeric = i >= 2 && i <= 4; // right-align numbers so decimal places line up better
                    String pad = " ".repeat(width[i] - r[i].codePointCount(0, r[i].length()));
                    line.append(numeric ? pad + r[i] : r[i] + pad);
                    if (i < r.length - 1) {
                        line.append("  ");
                    }
                }
                t.append(line.toString().stripTrailing()).append('\n');
            }
        }
        if (!report.failures().isEmpty() || !report.warnings().isEmpty()) {
            t.append('\n');
            for (Check c : report.failures()) {
                t.append("FAIL ").append(flat(caseName(c))).append(": ").append(flat(c.message())).append('\n');
            }
            for (Check c : report.warnings()) {
                t.append("WARN ").append(flat(caseName(c))).append(": ").append(flat(c.message())).append('\n');
            }
        }
        t.append('\n').append(flat(report.title())).append(": ").append(report.passed() ? "PASSED" : "FAILED")
                .append(" (").append(tally(report)).append(")\n");
        return t.toString();
    }

    private static String plainNum(Double v, boolean signed) {
        return v == null ? "-" : signed ? Numbers.signed(v) : Numbers.format(v);
    }

    /** One line, no control characters, so table alignment survives any message. */
    private static String flat(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                b.append(' ');
            } else {
                visible(b, cp);
            }
        }
        return b.toString();
    }

    /** "7 checks: 4 passed, 2 failed, 0 warnings, 1 skipped". */
    static String tally(CheckReport report) {
        return report.checks().size() + (report.checks().size() == 1 ? " check: " : " checks: ")
                + count(report, Verdict.PASS) + " passed, " + count(report, Verdict.FAIL) + " failed, "
                + count(report, Verdict.WARN) + " warned, " + count(report, Verdict.SKIP) + " skipped";
    }
}
