// A flood of idle connections against a model server, with /health probes during and after it; prints one RESULT
// line. Run by bench/serve/flood.sh:  java bench/serve/Flood.java PORT CONNECTIONS SECONDS
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

public class Flood {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int n = Integer.parseInt(args[1]);
        int seconds = Integer.parseInt(args[2]);
        List<SocketChannel> flood = new ArrayList<>(n);
        int refusedByKernel = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            try {
                SocketChannel c = SocketChannel.open();
                c.socket().connect(new InetSocketAddress("127.0.0.1", port), 2000);
                flood.add(c);
            } catch (IOException e) {
                refusedByKernel++;
            }
        }
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        // During: one /health on a fresh connection every 100 ms.
        int okDuring = 0, failedDuring = 0;
        long maxHeld = 0;
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            if (health(port)) {
                okDuring++;
            } else {
                failedDuring++;
            }
            maxHeld = Math.max(maxHeld, metric(port, "mlops_open_connections"));
            Thread.sleep(100);
        }
        long displaced = metric(port, "mlops_connections_closed_total{reason=\"displaced\"}");
        long refused = metric(port, "mlops_connections_refused_total");
        int stillOpen = 0;
        for (SocketChannel c : flood) {
            c.configureBlocking(false);
            try {
                if (c.read(java.nio.ByteBuffer.allocate(1)) >= 0) {
                    stillOpen++;
                }
            } catch (IOException e) {
                // reset by the server
            }
            c.close();
        }
        Thread.sleep(1000);
        int okAfter = 0, failedAfter = 0;
        for (int i = 0; i < 20; i++) {
            if (health(port)) {
                okAfter++;
            } else {
                failedAfter++;
            }
        }
        System.out.printf("RESULT opened=%d kernel_refused=%d open_seconds=%.1f held_max=%d still_open_at_end=%d "
                        + "displaced=%d refused=%d health_during_ok=%d health_during_failed=%d health_after_ok=%d "
                        + "health_after_failed=%d%n", flood.size(), refusedByKernel, openSeconds, maxHeld, stillOpen,
                displaced, refused, okDuring, failedDuring, okAfter, failedAfter);
    }

    static boolean health(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(2000);
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] b = in.readNBytes(12);
            return new String(b, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    static long metric(int port, String name) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String text = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + " ([0-9.eE+]+)$").matcher(text);
            return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
        } catch (IOException | InterruptedException e) {
            return -1;
        }
    }
}
