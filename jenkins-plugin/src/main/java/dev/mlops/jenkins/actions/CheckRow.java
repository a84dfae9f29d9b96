package dev.mlops.jenkins.actions;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** One row of a data-check or gate report as the build page shows it. */
public final class CheckRow implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final String subject;
    private final String candidate;
    private final String baseline;
    private final String delta;
    private final String rule;
    private final String verdict;
    private final String message;

    public CheckRow(String name, String subject, String candidate, String baseline, String delta, String rule,
                    String verdict, String message) {
        this.name = name;
        this.subject = subject;
        this.candidate = candidate;
        this.baseline = baseline;
        this.delta = delta;
        this.rule = rule;
        this.verdict = verdict;
        this.message = message;
    }

    /** Rows of a CheckReport's {@code checks} (the contract's field names). */
    public static List<CheckRow> of(List<Map<String, Object>> checks) {
        List<CheckRow> rows = new ArrayList<>();
        for (Map<String, Object> c : checks) {
            rows.add(new CheckRow(s(c.get("name")), s(c.get("subject")), MlopsAction.num(c.get("candidate")),
                    MlopsAction.num(c.get("baseline")), MlopsAction.num(c.get("delta")), s(c.get("rule")),
                    s(c.get("verdict")), s(c.get("message"))));
        }
        return rows;
    }

    private static String s(Object o) {
        return o == null ? "" : String.valueOf(o);
    }

    public String getName() {
        return name;
    }

    public String getSubject() {
        return subject;
    }

    public String getCandidate() {
        return candidate;
    }

    public String getBaseline() {
        return baseline;
    }

    public String getDelta() {
        return delta;
    }

    public String getRule() {
        return rule;
    }

    public String getVerdict() {
        return verdict;
    }

    public String getMessage() {
        return message;
    }

    public boolean isFailed() {
        return "FAIL".equals(verdict);
    }
}
