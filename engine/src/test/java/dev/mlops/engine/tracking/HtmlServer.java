package dev.mlops.engine.tracking;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A plain web server that is not MLflow: every request, whatever its path, gets the same status and an HTML page,
 * as a wrong tracking URI (a web site, a reverse proxy's default route, a login page) answers.
 */
public final class HtmlServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final AtomicInteger requests = new AtomicInteger();

    private HtmlServer(int status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(executor);
        byte[] page = ("<!doctype html>\n<html><head><title>" + (status == 200 ? "Welcome" : status + " Not Found")
                + "</title></head>\n<body><h1>" + (status == 200 ? "It works!" : "Not Found") + "</h1></body></html>\n")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/", ex -> {
            try (ex) {
                requests.incrementAndGet();
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                ex.sendResponseHeaders(status, page.length);
                ex.getResponseBody().write(page);
            }
        });
        server.start();
    }

    /** Answers every request with {@code status} (e.g. 404 or 200) and an HTML page. */
    public static HtmlServer answering(int status) {
        try {
            return new HtmlServer(status);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start HTML server", e);
        }
    }

    public String uri() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public int requests() {
        return requests.get();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
