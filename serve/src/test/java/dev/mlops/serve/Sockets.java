package dev.mlops.serve;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Raw client connections for abuse tests: floods of idle sockets, slow writers, and who the server hung up on. */
final class Sockets {
    private Sockets() {
    }

    /** Opens {@code n} connections that send nothing; a connect the kernel refuses counts as not opened. */
    static List<SocketChannel> open(int port, int n) throws IOException {
        List<SocketChannel> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            try {
                SocketChannel c = SocketChannel.open();
                c.socket().connect(new InetSocketAddress("127.0.0.1", port), 2000);
                c.configureBlocking(false);
                out.add(c);
            } catch (IOException e) {
                // the backlog is full: the flood did not get this one in
            }
        }
        return out;
    }

    /**
     * Waits up to {@code wait} until at least {@code atLeast} of the connections were closed by the server (EOF or
     * reset), and returns the indexes of those closed by then.
     */
    static Set<Integer> closedByServer(List<SocketChannel> conns, int atLeast, Duration wait) throws IOException {
        Set<Integer> closed = new HashSet<>();
        long deadline = System.nanoTime() + wait.toNanos();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        try (Selector sel = Selector.open()) {
            for (int i = 0; i < conns.size(); i++) {
                conns.get(i).register(sel, SelectionKey.OP_READ, i);
            }
            while (closed.size() < atLeast && System.nanoTime() < deadline) {
                sel.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                for (SelectionKey k : sel.selectedKeys()) {
                    SocketChannel c = (SocketChannel) k.channel();
                    int read;
                    try {
                        buf.clear();
                        read = c.read(buf);
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read < 0) {
                        closed.add((Integer) k.attachment());
                        k.cancel();
                    }
                }
                sel.selectedKeys().clear();
            }
            for (SelectionKey k : sel.keys()) {
                k.cancel();
            }
            sel.selectNow();
        }
        for (SocketChannel c : conns) {
            c.configureBlocking(false);
        }
        return closed;
    }

    static void closeAll(List<SocketChannel> conns) {
        for (SocketChannel c : conns) {
            try {
                c.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /** GET /health on a fresh connection: the status line, or what went wrong. */
    static String health(int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String r = Http.readAll(s.getInputStream());
            return r.isEmpty() ? "no response" : r.substring(0, Math.max(0, r.indexOf('\r')));
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** Polls {@link #health} until it answers 200 or the time is up; returns the last status line. */
    static String healthWithin(int port, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        String last;
        do {
            last = health(port, Duration.ofSeconds(2));
            if (last.startsWith("HTTP/1.1 200")) {
                return last;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        return last;
    }

    /** Reads until the server closes or {@code timeout} passes; what arrived, and whether it closed. */
    record Read(String text, boolean closed) {
    }

    static Read readUntilClosed(Socket s, Duration timeout) throws IOException {
        s.setSoTimeout((int) timeout.toMillis());
        InputStream in = s.getInputStream();
        StringBuilder sb = new StringBuilder();
        byte[] b = new byte[4096];
        try {
            for (int n; (n = in.read(b)) > 0; ) {
                sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
            }
            return new Read(sb.toString(), true);
        } catch (SocketTimeoutException e) {
            return new Read(sb.toString(), false);
        } catch (java.net.SocketException e) {
            return new Read(sb.toString(), true);
        }
    }
}
