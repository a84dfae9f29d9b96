package dev.mlops.serve.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * Plays the model server's HTTP contract in tests, as its own JVM: /health, /version, /ready (503 while draining after SIGTERM),
 * /predict answering "malignant" when the first feature is at least 10 else "benign", and the X-Model-Version /
 * X-Model-Git-Sha headers on every response. {@code --fail-predict true} makes /predict answer 500;
 * {@code --fail-predict crash} exits with code 3 at start, like a server that cannot load its model.
 */
public final class FakeModelServer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private FakeModelServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        String version = "0";
        boolean failPredict = false;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--version" -> version = args[i + 1];
                case "--fail-predict" -> failPredict = Boolean.parseBoolean(args[i + 1]);
                default -> throw new IllegalArgumentException(args[i]);
            }
        }
        if (args.length > 0 && String.join(" ", args).contains("--fail-predict crash")) {
            System.out.println("cannot load model: file is not a Tribuo protobuf");
            System.exit(3);
        }
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        final String v = version;
        final boolean fail = failPredict;
        final boolean[] draining = {false};
        server.createContext("/health", ex -> reply(ex, 200, "{\"status\":\"ok\"}", v));
        server.createContext("/version", ex -> reply(ex, 200, "{\"model_name\":\"cancer\",\"model_version\":\"" + v
                + "\"}", v));
        server.createContext("/ready", ex -> reply(ex, draining[0] ? 503 : 200,
                draining[0] ? "{\"status\":\"draining\"}" : "{\"status\":\"ready\"}", v));
        server.createContext("/predict", ex -> {
            JsonNode in = JSON.readTree(ex.getRequestBody());
            if (fail) {
                reply(ex, 500, "{\"error\":\"boom\"}", v);
                return;
            }
            List<String> out = new ArrayList<>();
            for (JsonNode row : in.path("instances")) {
                out.add(row.get(0).asDouble() >= 10 ? "malignant" : "benign");
            }
            reply(ex, 200, "{\"predictions\":" + JSON.writeValueAsString(out) + ",\"model_name\":\"cancer\","
                    + "\"model_version\":\"" + v + "\"}", v);
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            draining[0] = true;
            server.stop(2);
        }));
        System.out.println("fake model server v" + v + " on port " + server.getAddress().getPort());
    }

    private static void reply(HttpExchange ex, int status, String body, String version) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.getResponseHeaders().set("X-Model-Version", version);
        ex.getResponseHeaders().set("X-Model-Git-Sha", "sha" + version);
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }
}
