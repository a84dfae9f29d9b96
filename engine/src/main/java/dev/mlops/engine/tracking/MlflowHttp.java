package dev.mlops.engine.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Log;
import dev.mlops.engine.Redactor;
import dev.mlops.engine.MlopsException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP exchanges with one MLflow server: authorization, timeouts, the per-call deadline, retries, and telling
 * MLflow's answers apart from a server that is not MLflow.
 *
 * <p><b>Retries.</b> A request is sent again after a 5xx, a 429, or an I/O error, with exponential back-off, until
 * {@link MlflowServer.Retry#maxAttempts()} or the call's deadline runs out; 4xx answers never are. That is safe for
 * every request {@link MlflowServer} sends except the two creates that have no natural key ({@code runs/create},
 * {@code model-versions/create}): those go through {@link #create}, which after a failure that may have come
 * <i>after</i> the server applied the request (a 5xx, a timeout, a dropped connection; not a refused connection)
 * first asks the server whether the create landed, by the client token the caller put on it, and sends it again
 * only when it did not.
 *
 * <p><b>Time.</b> Each attempt waits at most {@link Timeouts#request()} (an upload one more second per MiB) and never
 * past the call's deadline ({@link Timeouts#deadline()}), which also bounds back-off and the lookups of a create.
 *
 * <p><b>Not MLflow.</b> A 2xx whose body is not a JSON object, or a 4xx without MLflow's {@code error_code}, means the
 * URI points at something else (a web site, a proxy's default route, a path prefix too many or too few):
 * {@link InputException}, exit 2. Every message names the server without credentials and passes {@link #redact}.
 */
final class MlflowHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long UPLOAD_BYTES_PER_SECOND = 1L << 20;
    /** A retry needs at least this much of the deadline left to be worth sending. */
    private static final long MIN_ATTEMPT_MILLIS = 100;

    private final URI base;
    private final String shown;
    private final String authorization;
    private final List<String> secrets;
    private final Timeouts timeouts;
    private final MlflowServer.Retry retry;
    private final Log log;
    private final HttpClient http;
    /** Set by the first JSON answer: from then on an HTML 404 means an endpoint this server lacks, not "not MLflow". */
    private volatile boolean spokeMlflow;

    MlflowHttp(URI base, String authorization, List<String> secrets, Timeouts timeouts, MlflowServer.Retry retry, Log log) {
        this.base = base;
        this.shown = base.toString();
        this.authorization = authorization;
        this.secrets = List.copyOf(secrets);
        this.timeouts = timeouts;
        this.retry = retry;
        this.log = log;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeouts.connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    String shown() {
        return shown;
    }

    /** A finished exchange, or the reply of a create rebuilt from the lookup that found it. */
    record Answer(String method, String path, int status, String contentType, byte[] body, int attempts) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        JsonNode json() {
            try {
                JsonNode n = JSON.readTree(body);
                return n == null ? JSON.createObjectNode() : n;
            } catch (IOException e) {
                return JSON.createObjectNode();
            }
        }

        boolean isJsonObject() {
            try {
                JsonNode n = JSON.readTree(body);
                return n != null && n.isObject();
            } catch (IOException e) {
                return false;
            }
        }

        String errorCode() {
            JsonNode code = json().get("error_code");
            return code == null ? null : code.asText();
        }

        String message() {
            JsonNode m = json().get("message");
            return m == null ? null : m.asText();
        }

        /** MLflow's own "not found": 404 with {@code RESOURCE_DOES_NOT_EXIST}, never a plain web server's 404. */
        boolean missing() {
            return status == 404 && "RESOURCE_DOES_NOT_EXIST".equals(errorCode());
        }
    }

    /** When one call must be done by, retries, back-off and lookups included. */
    static final class Deadline {
        private final long start = System.nanoTime();
        private final long end;
        private final Duration limit;

        private Deadline(Duration limit) {
            this.limit = limit;
            this.end = start + limit.toNanos();
        }

        long remainingMillis() {
            return Math.max(0, (end - System.nanoTime()) / 1_000_000);
        }

        double elapsedSeconds() {
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** Whether a create whose reply was lost was applied: the reply it would have had, or empty. */
    @FunctionalInterface
    interface Landed {
        Optional<JsonNode> find(Deadline deadline);
    }

    Deadline deadline() {
        return new Deadline(timeouts.deadline());
    }

    /** A read, or a write that is safe to repeat. */
    Answer call(String method, String path, JsonNode body) {
        return call(method, path, body, deadline());
    }

    Answer call(String method, String path, JsonNode body, Deadline deadline) {
        return exchange(method, path, body, deadline, Duration.ZERO, null, true);
    }

    /** The raw bytes at {@code path} (an artifact download). */
    Answer download(String path) {
        return exchange("GET", path, null, deadline(), Duration.ZERO, null, false);
    }

    /** PUTs a file's bytes; repeating it writes the same bytes to the same path. */
    Answer upload(String path, Path file) {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new InputException("artifact " + file + " cannot be read: " + e.getMessage(), e);
        }
        Duration extra = Duration.ofMillis(size * 1000 / UPLOAD_BYTES_PER_SECOND);
        return exchange("PUT", path, file, new Deadline(timeouts.deadline().plus(extra)), extra, null, true);
    }

    /**
     * A create that is not idempotent: after a failure that may have followed the write, {@code landed} (a lookup by
     * the client token in {@code body}) decides whether to send it again. Returns the reply's JSON or throws.
     */
    JsonNode create(String path, JsonNode body, String what, Landed landed) {
        Answer a = exchange("POST", path, body, deadline(), Duration.ZERO, landed, true);
        if (a.ok()) {
            return a.json();
        }
        throw fail(a, what);
    }

    private Answer exchange(String method, String path, Object body, Deadline deadline, Duration extra, Landed landed,
                            boolean expectJson) {
        URI target = URI.create(base + path);
        long delay = retry.firstDelay().toMillis();
        for (int attempt = 1; ; attempt++) {
            Duration left = Duration.ofMillis(Math.max(1, deadline.remainingMillis()));
            Duration timeout = min(timeouts.request().plus(extra), left);
            Answer answer = null;
            IOException failure = null;
            try {
                // The request timeout ends at the reply's headers; a download's body may take the rest of the deadline.
                HttpResponse<byte[]> r = send(request(target, method, body, timeout), expectJson ? timeout : left);
                answer = new Answer(method, path, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(), attempt);
                if (!transientStatus(answer.status())) {
                    if (expectJson && answer.ok() && !answer.isJsonObject()) {
                        throw notMlflow(answer);
                    }
                    spokeMlflow |= answer.errorCode() != null || expectJson && answer.ok();
                    return answer;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while calling MLflow at " + shown);
            } catch (IOException e) {
                failure = e;
            }
            String why = answer != null ? "answered HTTP " + answer.status() : describe(failure);
            if (landed != null && (answer != null || !neverSent(failure))) {
                Optional<JsonNode> found = lookUp(landed, deadline, method, path, why);
                if (found.isPresent()) {
                    log.warn(redact("MLflow " + method + " " + path + " " + why + ", but the server had already applied it"
                            + " (found by its client token); not sending it again"));
                    byte[] rebuilt = found.get().toString().getBytes(StandardCharsets.UTF_8);
                    return new Answer(method, path, 200, "application/json", rebuilt, attempt);
                }
                why += " and did not apply it (no run or version carries its client token)";
            }
            // A connect timeout already cost the full connect timeout: one retry at most, so a dead host fails fast.
            int limit = failure instanceof HttpConnectTimeoutException ? Math.min(2, retry.maxAttempts()) : retry.maxAttempts();
            if (attempt >= limit || deadline.remainingMillis() < delay + MIN_ATTEMPT_MILLIS) {
                if (answer != null) {
                    return answer; // callers turn it into an InfraException (or, for a missing artifact, an InputException)
                }
                throw unreachable(failure, method, path, attempt, deadline, !expectJson);
            }
            log.warn(redact("MLflow " + method + " " + path + " " + why + "; retrying in " + delay + " ms (attempt "
                    + (attempt + 1) + " of " + limit + ")"));
            try {
                Thread.sleep(delay);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InfraException("interrupted while calling MLflow at " + shown);
            }
            delay = Math.min(delay * 2, 30_000);
        }
    }

    /**
     * Sends and reads the whole reply within {@code bound}. {@link HttpRequest#timeout} alone stops at the headers: in
     * Java 17 a server that sends headers and then stalls the body holds {@code send} forever (tried here), so the
     * exchange runs async and is cancelled (which aborts it, since Java 16) when {@code bound} passes.
     */
    private HttpResponse<byte[]> send(HttpRequest request, Duration bound) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        try {
            return pending.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            pending.cancel(true);
            throw new ReplyTimeout("no complete reply within " + human(bound));
        } catch (InterruptedException e) {
            pending.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            while (cause instanceof CompletionException && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    /** The whole reply did not arrive within its bound (as opposed to the JDK's own timeout waiting for headers). */
    private static final class ReplyTimeout extends HttpTimeoutException {
        ReplyTimeout(String message) {
            super(message);
        }
    }

    private HttpRequest request(URI target, String method, Object body, Duration timeout) throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(target).timeout(timeout).header("Accept", "application/json");
        if (body instanceof Path file) {
            b.method(method, HttpRequest.BodyPublishers.ofFile(file)).header("Content-Type", "application/octet-stream");
        } else if (body instanceof JsonNode json) {
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(json)))
                    .header("Content-Type", "application/json");
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    private Optional<JsonNode> lookUp(Landed landed, Deadline deadline, String method, String path, String why) {
        try {
            return landed.find(deadline);
        } catch (MlopsException e) {
            throw new InfraException(redact("MLflow at " + shown + ": " + method + " " + path + " " + why
                    + ", and checking whether the server applied it failed too (" + e.getMessage() + "); not sending it"
                    + " again, so nothing is created twice; retry when the server is back"), e);
        }
    }

    private static boolean transientStatus(int status) {
        return status >= 500 || status == 429;
    }

    /** True when the request certainly never reached the server, so repeating it cannot repeat a write. */
    private static boolean neverSent(IOException e) {
        return e instanceof HttpConnectTimeoutException || e instanceof ConnectException || e.getCause() instanceof ConnectException
                || e instanceof UnknownHostException || e.getCause() instanceof UnresolvedAddressException;
    }

    private String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "timed out connecting";
        }
        if (e instanceof HttpTimeoutException) {
            return "got no answer within " + human(timeouts.request());
        }
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return "refused the connection";
        }
        return "failed (" + e.getClass().getSimpleName() + ")";
    }

    private MlopsException unreachable(IOException e, String method, String path, int attempts, Deadline deadline,
                                       boolean download) {
        String reason;
        if (e instanceof HttpConnectTimeoutException) {
            reason = "connect timed out after " + human(timeouts.connect()) + ", tracking.connectTimeoutSeconds";
        } else if (e instanceof HttpTimeoutException) {
            String bound = download && e instanceof ReplyTimeout ? "the deadline" // the headers came, the body did not
                    : human(timeouts.request()) + " (tracking.requestTimeoutSeconds)";
            return new InfraException(redact("MLflow tracking server at " + shown + " did not answer " + method + " " + path
                    + " within " + bound + "; gave up after " + attempts
                    + (attempts == 1 ? " attempt" : " attempts") + " in " + String.format(Locale.ROOT, "%.1f", deadline.elapsedSeconds())
                    + " s (tracking.deadlineSeconds: " + human(deadline.limit) + ")"));
        } else if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            reason = "connection refused";
        } else if (e instanceof UnknownHostException || e.getCause() instanceof UnresolvedAddressException) {
            reason = "unknown host";
        } else {
            reason = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                    + (attempts > 1 ? ", " + attempts + " attempts" : "");
        }
        return new InfraException(redact("cannot reach MLflow tracking server at " + shown + " (" + reason
                + "); check the tracking URI and that the server is running"));
    }

    /** The error of a non-2xx answer; never includes request headers or credentials. */
    MlopsException fail(Answer a, String what) {
        if (a.status() == 401 || a.status() == 403) {
            return new InputException("MLflow at " + shown + " refused to " + what + " (HTTP " + a.status() + "): "
                    + (a.status() == 401 ? "missing or wrong credentials" : "the credentials lack permission")
                    + "; set MLFLOW_TRACKING_TOKEN or MLFLOW_TRACKING_USERNAME/MLFLOW_TRACKING_PASSWORD");
        }
        if (transientStatus(a.status())) {
            String code = a.errorCode();
            return new InfraException(redact("MLflow at " + shown + " failed to " + what + ": HTTP " + a.status() + " to "
                    + a.method() + " " + a.path() + " after " + a.attempts() + (a.attempts() == 1 ? " attempt" : " attempts")
                    + (code == null ? "" : ": " + code + ": " + a.message())));
        }
        if (a.errorCode() == null) {
            return notMlflow(a);
        }
        return new InputException(redact("MLflow at " + shown + " could not " + what + ": " + a.errorCode() + ": " + a.message()));
    }

    MlopsException notMlflow(Answer a) {
        String type = a.contentType().isEmpty() ? "no Content-Type" : a.contentType();
        if (spokeMlflow && a.status() == 404) {
            return new InputException(redact("MLflow at " + shown + " does not know " + a.method() + " " + a.path() + " (HTTP 404, "
                    + type + "); this tool speaks the REST API of MLflow 2.17, is the server older?"));
        }
        return new InputException(redact(shown + " is not an MLflow tracking server: it answered HTTP " + a.status() + " ("
                + type + ") to " + a.method() + " " + a.path() + "; check tracking.uri (the server's address, without"
                + " /api/2.0/mlflow)"));
    }

    /** Replaces every credential (known ones in any form, and credential-shaped text) in {@code text}. */
    String redact(String text) {
        return Redactor.of(secrets).redact(text);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    static String human(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
