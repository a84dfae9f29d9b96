package dev.mlops.cli.pod;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.engine.deploy.FakeCluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;

/**
 * The cluster's Services as a process outside it reaches them: {@code http://127.0.0.1:<port>/<service>/<path>} is
 * forwarded to a ready pod the Service selects ({@link FakeCluster#route}), so the deployer's endpoint template is
 * {@code http://127.0.0.1:<port>/{service}}. No ready pod: 503, as an ingress without endpoints answers.
 */
public final class KubeProxy implements AutoCloseable {
    private static final List<String> PASSED = List.of("Content-Type", "X-Model-Version", "X-Model-Git-Sha");
    private final HttpServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    public KubeProxy(FakeCluster cluster) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.createContext("/", ex -> {
            try (ex) {
                forward(cluster, ex);
            }
        });
        server.start();
    }

    /** The deployer's {@code --endpoint-template}. */
    public String endpointTemplate() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/{service}";
    }

    public URI service(String name) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/" + name);
    }

    private void forward(FakeCluster cluster, HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        int slash = path.indexOf('/', 1);
        String service = slash < 0 ? path.substring(1) : path.substring(1, slash);
        String rest = slash < 0 ? "/" : path.substring(slash);
        Optional<URI> pod = cluster.route(service).map(FakeCluster.PodHandle::address);
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (pod.isEmpty()) {
            reply(ex, 503, "no ready endpoints for service " + service);
            return;
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(pod.get().resolve(rest)).timeout(Duration.ofSeconds(10))
                .method(ex.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type != null) {
            req.header("Content-Type", type);
        }
        try {
            HttpResponse<byte[]> res = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            for (String h : PASSED) {
                res.headers().firstValue(h).ifPresent(v -> ex.getResponseHeaders().add(h, v));
            }
            ex.sendResponseHeaders(res.statusCode(), res.body().length == 0 ? -1 : res.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(res.body());
            }
        } catch (IOException e) {
            reply(ex, 502, "pod " + pod.get() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            reply(ex, 502, "interrupted");
        }
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
