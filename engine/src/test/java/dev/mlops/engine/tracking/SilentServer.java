package dev.mlops.engine.tracking;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP server on 127.0.0.1 that accepts every connection, reads what the client sends, and never answers: the
 * "server that accepts and never answers" (a hung backend, a stuck proxy) that request timeouts exist for. The
 * {@link #afterHeaders()} variant sends the headers of a 200 reply and the first byte of its body, then stalls.
 */
public final class SilentServer implements AutoCloseable {
    private final ServerSocket socket;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;

    private final boolean headersFirst;

    private SilentServer(boolean headersFirst) throws IOException {
        this.headersFirst = headersFirst;
        socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::acceptAll, "silent-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static SilentServer start() {
        return create(false);
    }

    /** Answers every request with a 200's headers and one byte of a 100-byte JSON body, then nothing more. */
    public static SilentServer afterHeaders() {
        return create(true);
    }

    private static SilentServer create(boolean headersFirst) {
        try {
            return new SilentServer(headersFirst);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start silent server", e);
        }
    }

    public String uri() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** Connections accepted so far (each one a request the client sent and never got answered). */
    public int accepted() {
        return accepted.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                accepted.incrementAndGet();
                open.add(s);
                Thread reader = new Thread(() -> drain(s, headersFirst), "silent-server-conn");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void drain(Socket s, boolean headersFirst) {
        byte[] buf = new byte[8192];
        try (InputStream in = s.getInputStream()) {
            if (headersFirst) {
                int n = in.read(buf); // the request's head (small requests arrive in one read)
                if (n > 0) {
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                }
            }
            while (in.read(buf) >= 0) {
                // read and discard, never write (more)
            }
        } catch (IOException ignored) {
            // the client gave up or the server closed
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
