package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import dev.mlops.engine.ExitCodes;
import dev.mlops.engine.MlopsException;
import dev.mlops.engine.Redactor;

import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * An operation that ended in an error instead of a result, in the form front ends print with {@code --json}:
 * {@code {"error": {"message", "exitCode", "kind"}}}. {@code kind}: {@code input} (2: fix the spec, file or option),
 * {@code infra} (3: a server, cluster or lock stood in the way; safe to retry), {@code failed} (1) or {@code bug}
 * (anything the engine did not expect; the message says so).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorResult(Error error) implements EngineResult {

    @JsonIgnoreProperties(ignoreUnknown = true)
    @JsonPropertyOrder({"message", "exitCode", "kind"})
    public record Error(String message, int exitCode, String kind) implements Serializable {
    }

    @Override
    public int exitCode() {
        return error.exitCode();
    }

    /**
     * The one-line message and exit code for any exception an operation threw. Credential-shaped text is redacted
     * once more here: the engine redacts where external text enters, this is the last line of defence.
     */
    public static ErrorResult of(Throwable e) {
        ErrorResult r = unredacted(e);
        return new ErrorResult(new Error(Redactor.PATTERNS.redact(r.error().message()), r.error().exitCode(),
                r.error().kind()));
    }

    private static ErrorResult unredacted(Throwable e) {
        if (e instanceof MlopsException me) {
            int code = me.exitCode();
            String kind = switch (code) {
                case ExitCodes.INPUT -> "input";
                case ExitCodes.INFRA -> "infra";
                case ExitCodes.FAILED -> "failed";
                default -> "bug";
            };
            return new ErrorResult(new Error(me.getMessage(), code, kind));
        }
        if (e instanceof UncheckedIOException io) {
            // a file the user named could not be read or written (permissions, a full disk, a folder in the way)
            return new ErrorResult(new Error(io.getMessage(), ExitCodes.INPUT, "input"));
        }
        return new ErrorResult(new Error("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                + " (this is a bug in mlops; please report it with the command line you ran)", ExitCodes.INFRA, "bug"));
    }
}
