package dev.mlops.jenkins.steps;

import hudson.AbortException;
import hudson.model.Result;
import hudson.model.TaskListener;
import org.jenkinsci.plugins.workflow.steps.StepContext;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * What a failed check (data checks, the gate) does to the build: {@code fail} (the default) fails the step with the
 * reasons, {@code unstable} marks the build UNSTABLE and goes on, {@code ignore} only logs them.
 */
final class Violations {
    static final String FAIL = "fail";
    static final String UNSTABLE = "unstable";
    static final String IGNORE = "ignore";
    static final List<String> CHOICES = List.of(FAIL, UNSTABLE, IGNORE);

    private Violations() {
    }

    static void apply(StepContext ctx, String function, String onViolation, String what, List<String> reasons)
            throws IOException, InterruptedException {
        String line = function + ": " + what + ": " + String.join("; ", reasons);
        switch (onViolation) {
            case UNSTABLE -> {
                ctx.get(TaskListener.class).getLogger().println("[mlops] WARNING " + line + " (onViolation: unstable)");
                ctx.setResult(Result.UNSTABLE);
            }
            case IGNORE -> ctx.get(TaskListener.class).getLogger().println("[mlops] " + line + " (onViolation: ignore)");
            default -> throw new AbortException(line);
        }
    }

    /** One reason per failed row of a CheckReport-shaped list: "subject: message". */
    static List<String> reasons(List<Map<String, Object>> rows, boolean onlyFailed) {
        return rows.stream()
                .filter(r -> !onlyFailed || "FAIL".equals(String.valueOf(r.get("verdict"))))
                .map(r -> r.get("subject") + ": " + r.get("message"))
                .toList();
    }

    static String check(String function, String value) throws AbortException {
        String v = value == null ? FAIL : value;
        if (!CHOICES.contains(v)) {
            throw new AbortException(function + ": onViolation '" + value + "' must be one of " + CHOICES);
        }
        return v;
    }
}
