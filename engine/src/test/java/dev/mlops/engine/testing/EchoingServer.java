package dev.mlops.engine.testing;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A careless server: answers every request with one status and a body that repeats the request's Authorization
 * header, as some API servers and proxies do ({@code bad credentials: Bearer <token>}). With {@link #kubernetes}
 * the body is a Kubernetes Status object, so fabric8 turns it into its own exception message.
 */
public final class EchoingServer implements AutoCloseable {
    private final HttpServer http;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    private EchoingServer(int status, boolean kubernetes) throws IOException {
        this(status, kubernetes, null);
    }

    private EchoingServer(int status, boolean kubernetes, String fixed) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        http.createContext("/", ex -> {
            String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
            authorizations.add(auth);
            ex.getRequestBody().readAllBytes();
            String echoed = "bad credentials: " + auth;
            String body = fixed != null ? fixed : kubernetes
                    ? "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"" + echoed
                    + "\",\"reason\":\"Unauthorized\",\"code\":" + status + "}"
                    : "{\"error\":\"" + echoed + "\"}";
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        http.start();
    }

    /** Kubernetes-shaped errors (a Status body). */
    public static EchoingServer kubernetes(int status) throws IOException {
        return new EchoingServer(status, true);
    }

    /** Plain JSON errors, as a model server or a proxy might send them. */
    public static EchoingServer plain(int status) throws IOException {
        return new EchoingServer(status, false);
    }

    /** Always this body, e.g. an error page that quotes a credential from elsewhere. */
    public static EchoingServer saying(int status, String body) throws IOException {
        return new EchoingServer(status, false, body);
    }

    /** http://127.0.0.1:port (no trailing slash). */
    public String url() {
        return "http://" + http.getAddress().getHostString() + ":" + http.getAddress().getPort();
    }

    /** The Authorization headers received, so a test can prove the secret was really sent (and echoed). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
