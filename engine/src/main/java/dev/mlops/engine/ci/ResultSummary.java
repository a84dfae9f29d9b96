package dev.mlops.engine.ci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Markdown of the {@code --json} results a pipeline's steps wrote, for CI job summaries and logs: the gate's table
 * (one row per bound), the data checks that did not pass, training metrics, the registered version, the release
 * record, what serves. Also reads one value out of a result ({@code release.id}), so generated pipelines need no
 * JSON tool of their own.
 */
public final class ResultSummary {
    private ResultSummary() {
    }

    /** Markdown for one result file's text; {@code name} is how the file is called in the output. */
    public static String markdown(String name, String json) {
        JsonNode r;
        try {
            r = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return "**" + name + "**: not a result (" + e.getOriginalMessage() + ")\n";
        }
        if (r == null || !r.isObject()) {
            return "**" + name + "**: empty\n";
        }
        if (r.has("error")) {
            return "### " + name + ": error\n\n" + text(r.path("error").path("message")) + " (exit "
                    + text(r.path("error").path("exitCode")) + ")\n";
        }
        if (r.has("release") && r.has("trafficOn")) {
            return release(r);
        }
        if (r.has("failures") && r.has("report")) {
            return checks("Gate", r.path("report"), false);
        }
        if (r.has("report") && r.has("reports")) {
            return checks("Data checks", r.path("report"), true);
        }
        if (r.has("modelSha256") && r.has("metrics")) {
            return train(r);
        }
        if (r.has("alias") && r.has("version") && r.has("runId")) {
            return "### Registered\n\n" + text(r.path("name")) + " version **" + text(r.path("version")) + "** @"
                    + text(r.path("alias")) + " (run `" + text(r.path("runId")) + "`)\n";
        }
        if (r.has("slots") && r.has("active")) {
            return status(r);
        }
        return "### " + name + "\n\n```json\n" + json.strip() + "\n```\n";
    }

    /** The value at a dotted path ({@code release.id}, {@code version}); null when absent or JSON null. */
    public static String field(String json, String path) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
        for (String part : path.split("\\.")) {
            if (n == null) {
                return null;
            }
            n = n.isArray() && part.matches("\\d+") ? n.get(Integer.parseInt(part)) : n.get(part);
        }
        if (n == null || n.isNull() || n.isMissingNode()) {
            return null;
        }
        return n.isValueNode() ? n.asText() : n.toString();
    }

    private static String release(JsonNode r) {
        JsonNode rel = r.path("release");
        StringBuilder b = new StringBuilder("### Release " + text(rel.path("kind")) + " to " + text(rel.path("environment"))
                + ": " + text(rel.path("outcome")) + "\n\n| field | value |\n|---|---|\n");
        for (String f : List.of("id", "app", "environment", "color", "image", "modelName", "modelVersion", "gitSha",
                "who", "buildUrl", "startedAt", "finishedAt", "outcome", "reason", "previousRelease", "alias")) {
            if (rel.hasNonNull(f)) {
                b.append("| ").append(f).append(" | ").append(cell(text(rel.path(f)))).append(" |\n");
            }
        }
        b.append("| traffic on | ").append(cell(text(r.path("trafficOn")))).append(" |\n");
        b.append("| target | ").append(cell(text(r.path("target")))).append(" |\n");
        return b.toString();
    }

    private static String checks(String title, JsonNode report, boolean onlyNotPassed) {
        JsonNode counts = report.path("counts");
        StringBuilder b = new StringBuilder("### " + title + ": " + (report.path("passed").asBoolean() ? "passed" : "FAILED")
                + "\n\n" + counts(counts) + "\n\n");
        List<JsonNode> rows = new ArrayList<>();
        report.path("checks").forEach(c -> {
            if (!onlyNotPassed || !"pass".equalsIgnoreCase(c.path("verdict").asText())) {
                rows.add(c);
            }
        });
        if (rows.isEmpty()) {
            return b.append(onlyNotPassed ? "every check passed\n" : "no checks\n").toString();
        }
        b.append("| check | subject | candidate | baseline | delta | rule | verdict |\n|---|---|---|---|---|---|---|\n");
        for (JsonNode c : rows) {
            b.append("| ").append(cell(text(c.path("name")))).append(" | ").append(cell(text(c.path("subject"))))
                    .append(" | ").append(num(c.path("candidate"))).append(" | ").append(num(c.path("baseline")))
                    .append(" | ").append(num(c.path("delta"))).append(" | ").append(cell(text(c.path("rule"))))
                    .append(" | ").append(verdict(c.path("verdict").asText())).append(" |\n");
        }
        return b.toString();
    }

    private static String train(JsonNode r) {
        StringBuilder b = new StringBuilder("### Trained " + text(r.path("algorithm")) + " (" + text(r.path("trainRows"))
                + " training rows, " + text(r.path("testRows")) + " test rows)\n\n");
        if (r.hasNonNull("runId")) {
            b.append("run `").append(text(r.path("runId"))).append('`');
            if (r.hasNonNull("runUrl")) {
                b.append(" ").append(text(r.path("runUrl")));
            }
            b.append("\n\n");
        }
        b.append("| metric | value |\n|---|---|\n");
        r.path("metrics").fields().forEachRemaining(e -> b.append("| ").append(cell(e.getKey())).append(" | ")
                .append(num(e.getValue())).append(" |\n"));
        return b.toString();
    }

    private static String status(JsonNode r) {
        JsonNode e = r.path("endpoint");
        StringBuilder b = new StringBuilder("### " + text(r.path("app")) + " " + text(r.path("environment")) + ": "
                + (r.path("active").isNull() ? "nothing serving" : "traffic on " + text(r.path("active"))) + "\n\n");
        if (!e.isMissingNode() && !e.isNull()) {
            b.append("endpoint ").append(text(e.path("url"))).append(": ")
                    .append(e.path("reachable").asBoolean() ? "ready" : "NOT ready").append(", model version ")
                    .append(text(e.path("modelVersion"))).append("\n\n");
        }
        b.append("| color | release | model version | ready / desired |\n|---|---|---|---|\n");
        r.path("slots").forEach(sl -> b.append("| ").append(text(sl.path("color"))).append(" | ")
                .append(cell(text(sl.path("releaseId")))).append(" | ").append(text(sl.path("modelVersion")))
                .append(" | ").append(text(sl.path("readyReplicas"))).append(" / ").append(text(sl.path("desiredReplicas")))
                .append(" |\n"));
        return b.toString();
    }

    private static String counts(JsonNode counts) {
        List<String> parts = new ArrayList<>();
        counts.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + e.getValue().asText()));
        return String.join(", ", parts);
    }

    private static String verdict(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "fail" -> "**FAIL**";
            case "warn" -> "warn";
            default -> v.toLowerCase(Locale.ROOT);
        };
    }

    private static String num(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "";
        }
        if (n.isNumber()) {
            double d = n.asDouble();
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format(Locale.ROOT, "%.4g", d);
        }
        return cell(n.asText());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? "" : n.asText();
    }

    /** Pipes and newlines would break a Markdown table row. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }
}
