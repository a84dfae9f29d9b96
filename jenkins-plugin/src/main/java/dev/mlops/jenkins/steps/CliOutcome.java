package dev.mlops.jenkins.steps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.jenkins.agent.CliProcess;
import dev.mlops.jenkins.secrets.SecretMasker;
import hudson.AbortException;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@code mlops --json} call ended with, by the CLI's exit codes: 0 ok, 1 a check/gate/deploy failed (with a
 * result), 2 bad input, 3 infrastructure. Results and messages are masked before anything else sees them.
 */
public final class CliOutcome {
    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int INPUT = 2;
    public static final int INFRA = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String function;
    private final String command;
    private final int exitCode;
    private final Map<String, Object> result;
    private final String error;

    CliOutcome(String function, String command, int exitCode, Map<String, Object> result, String error) {
        this.function = function;
        this.command = command;
        this.exitCode = exitCode;
        this.result = result;
        this.error = error;
    }

    @SuppressWarnings("unchecked")
    static CliOutcome of(String function, String command, CliProcess.Output out, SecretMasker masker) {
        Map<String, Object> parsed = null;
        String text = new String(out.stdout(), StandardCharsets.UTF_8).strip();
        if (!text.isEmpty()) {
            try {
                parsed = masker.maskMap(JSON.readValue(text, LinkedHashMap.class));
            } catch (JsonProcessingException e) {
                parsed = null;
            }
        }
        String error = null;
        if (parsed != null && parsed.get("error") instanceof Map<?, ?> err) {
            error = String.valueOf(err.get("message"));
            parsed = null;
        } else if (out.exitCode() != OK) {
            error = masker.mask(out.lastLogLine());
        }
        return new CliOutcome(function, command, out.exitCode(), parsed, error);
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean failedCheck() {
        return exitCode == FAILED && result != null;
    }

    /**
     * The result of a call that ran to its end (exit 0, or 1 with a result); anything else fails the step with one
     * line: the CLI's own message, which names the parameter, file or key at fault.
     */
    public Map<String, Object> result() throws AbortException {
        if (result != null && (exitCode == OK || exitCode == FAILED)) {
            return result;
        }
        String why = error == null || error.isBlank() ? "no result" : error.replaceFirst("^error:\\s*", "");
        throw new AbortException(switch (exitCode) {
            case OK, FAILED -> function + ": mlops " + command + " gave no result (exit " + exitCode + "): " + why;
            case INPUT -> function + ": " + why;
            case INFRA -> function + ": " + why + " (infrastructure error; safe to retry)";
            default -> function + ": mlops " + command + " stopped with exit code " + exitCode
                    + (exitCode > 128 ? " (killed by signal " + (exitCode - 128) + "; out of memory?)" : "") + ": " + why;
        });
    }
}
