package dev.mlops.engine.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Json;
import dev.mlops.engine.Redactor;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link ServerClient} over java.net.http with a per-request timeout. Error texts (a body, an I/O failure) are
 * redacted: they end up in deploy messages and the release ledger, and a server may quote a credential.
 */
public final class HttpServerClient implements ServerClient {
    private final HttpClient http;
    private final Duration timeout;

    public HttpServerClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    @Override
    public Reply get(URI base, String path) {
        return send(HttpRequest.newBuilder(resolve(base, path)).timeout(timeout).GET().build(), false);
    }

    @Override
    public Reply predict(URI base, List<List<Double>> rows) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("instances", rows);
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest req = HttpRequest.newBuilder(resolve(base, "/predict")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
        return send(req, true);
    }

    private Reply send(HttpRequest req, boolean parsePredictions) {
        long start = System.nanoTime();
        try {
            HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
            long micros = (System.nanoTime() - start) / 1000;
            String version = res.headers().firstValue("X-Model-Version").orElse(null);
            String sha = res.headers().firstValue("X-Model-Git-Sha").orElse(null);
            List<String> predictions = List.of();
            String error = null;
            if (parsePredictions && res.statusCode() == 200) {
                try {
                    JsonNode node = Json.MAPPER.readTree(res.body());
                    List<String> p = new ArrayList<>();
                    node.path("predictions").forEach(n -> p.add(n.asText()));
                    predictions = p;
                    if (version == null && node.hasNonNull("model_version")) {
                        version = node.get("model_version").asText();
                    }
                } catch (IOException e) {
                    error = "response is not JSON";
                }
            } else if (res.statusCode() >= 300) {
                String b = Redactor.PATTERNS.redact(res.body()); // before cutting, so no credential is cut in half
                error = b.length() > 200 ? b.substring(0, 200) : b;
            }
            return new Reply(res.statusCode(), version, sha, predictions, micros, error);
        } catch (IOException e) {
            return new Reply(-1, null, null, null, (System.nanoTime() - start) / 1000, Redactor.PATTERNS.redact(
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Reply(-1, null, null, null, 0, "interrupted");
        }
    }

    private static URI resolve(URI base, String path) {
        String b = base.toString();
        return URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path);
    }
}
