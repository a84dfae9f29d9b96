package dev.mlops.engine;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Removes credentials from text that came from outside (a server's error body, a client library's exception) before
 * it becomes one of our messages, log lines, ledger entries or reports. Two layers: the secrets this process knows
 * (each also in its base64 and URL-encoded forms, as it travels in Basic headers and URLs), and patterns that catch
 * credentials it was never told about (a kubeconfig's token echoed by an API server): {@code Bearer <token>},
 * {@code Basic <base64>}, {@code user:password@} in URLs, and {@code token=}/{@code password=}-style pairs.
 *
 * <p>Every path from an external message to ours goes through one of these: {@link #PATTERNS} where no secret is
 * known, {@code Redactor.of(secrets)} where some are.
 */
public final class Redactor {
    public static final String MASK = "****";

    /** Redacts credential-shaped text only; for messages from places that were sent no secret of ours. */
    public static final Redactor PATTERNS = new Redactor(List.of());

    private static final Pattern AUTH_SCHEME = Pattern.compile(
            "(?i)\\b(Bearer|Basic|Token|Negotiate)(\\s+)[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s\"']+@");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)((?:authorization|token|password|passwd|secret|api[_-]?key)\"?\\s*[:=]\\s*\"?)[^\\s\"',;&}]{4,}");

    private final List<String> secrets;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
    }

    /** Known secrets (null and blank entries are ignored) plus the patterns. */
    public static Redactor of(Iterable<String> secrets) {
        Set<String> forms = new LinkedHashSet<>();
        for (String s : secrets) {
            if (s == null || s.isBlank()) {
                continue;
            }
            forms.add(s);
            forms.add(Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8)));
            forms.add(java.net.URLEncoder.encode(s, StandardCharsets.UTF_8));
        }
        List<String> sorted = new ArrayList<>(forms);
        // Longest first, so a secret that contains another is masked whole.
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new Redactor(List.copyOf(sorted));
    }

    public static Redactor of(Secret... secrets) {
        List<String> values = new ArrayList<>();
        for (Secret s : secrets) {
            if (s != null) {
                values.add(s.reveal());
            }
        }
        return of(values);
    }

    /** This redactor plus more known secrets. */
    public Redactor with(Iterable<String> more) {
        List<String> all = new ArrayList<>(secrets);
        more.forEach(all::add);
        return of(all);
    }

    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        out = AUTH_SCHEME.matcher(out).replaceAll("$1$2" + MASK);
        out = URL_USER_INFO.matcher(out).replaceAll("$1" + MASK + "@");
        return KEY_VALUE.matcher(out).replaceAll("$1" + MASK);
    }

    /** {@code log} with every line redacted, for code that logs what a server said. */
    public Log log(Log log) {
        Redactor r = this;
        return new Log() {
            @Override
            public void info(String message) {
                log.info(r.redact(message));
            }

            @Override
            public void warn(String message) {
                log.warn(r.redact(message));
            }

            @Override
            public void progress(String task, long done, long total, String detail) {
                log.progress(task, done, total, r.redact(detail));
            }
        };
    }

    /**
     * A copy of {@code e} whose messages, down the cause chain, are redacted: the class name is kept in the message
     * and the stack traces are kept, so nothing is lost but the secrets (a printed stack trace shows every cause's
     * message, so wrapping alone would still leak).
     */
    public RuntimeException redact(Throwable e) {
        Objects.requireNonNull(e, "e");
        return copy(e, 0);
    }

    private RedactedException copy(Throwable e, int depth) {
        Throwable cause = e.getCause() != null && e.getCause() != e && depth < 10 ? copy(e.getCause(), depth + 1) : null;
        RedactedException r = new RedactedException(e.getClass().getName() + ": " + redact(String.valueOf(e.getMessage())),
                cause);
        r.setStackTrace(e.getStackTrace());
        return r;
    }

    /** An exception from a library, with credentials removed from its message and its causes'. */
    public static final class RedactedException extends RuntimeException {
        RedactedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
