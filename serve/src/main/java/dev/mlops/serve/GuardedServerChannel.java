package dev.mlops.serve;

import dev.mlops.engine.Log;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The listening socket, made to survive what killed it before (issue 9): every accepted connection passes the
 * {@link ConnectionGuard}'s admission (refused ones are closed before a pipeline exists), and no error while
 * accepting closes the listener. Netty closes a server channel on any non-{@code IOException} read error (a
 * {@code NoClassDefFoundError} when the process ran out of files, for one); here the {@link Backoff} handler pauses
 * accepting instead, closes idle connections when files ran out, and accepting resumes.
 */
final class GuardedServerChannel extends NioServerSocketChannel {
    private final ConnectionGuard guard;
    final Backoff backoff;

    GuardedServerChannel(ConnectionGuard guard, Log log, long fileLimit) {
        this.guard = guard;
        this.backoff = new Backoff(guard, log, fileLimit);
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        int n = super.doReadMessages(buf);
        if (n == 1 && !guard.admit((Channel) buf.get(buf.size() - 1))) {
            Channel refused = (Channel) buf.remove(buf.size() - 1);
            refused.unsafe().closeForcibly();
            return 0;
        }
        if (n == 1) {
            backoff.accepted();
        }
        return n;
    }

    @Override
    protected boolean closeOnReadError(Throwable cause) {
        return !isActive();
    }

    /**
     * First handler of the listener's pipeline: an accept error pauses accepting (10 ms, doubling to 1 s while
     * errors continue), and when the process is out of file descriptors, idle connections are closed to free some.
     * Errors are logged at most once per 10 s with a count, so a storm cannot flood the log (or need a file to log).
     */
    static final class Backoff extends ChannelInboundHandlerAdapter {
        private static final long MIN_PAUSE_MS = 10;
        private static final long MAX_PAUSE_MS = 1000;
        private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

        private final ConnectionGuard guard;
        private final Log log;
        private final long fileLimit;
        private long pauseMs = MIN_PAUSE_MS;
        private long failures;
        private long lastLog;
        private boolean logged;

        Backoff(ConnectionGuard guard, Log log, long fileLimit) {
            this.guard = guard;
            this.log = log;
            this.fileLimit = fileLimit;
        }

        void accepted() {
            pauseMs = MIN_PAUSE_MS;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failures++;
            String message = String.valueOf(cause.getMessage());
            boolean outOfFiles = message.contains("Too many open files");
            if (outOfFiles) {
                // Make room: a few of the oldest idle connections go, so a waiting newcomer can be accepted.
                guard.displace(Math.max(1, guard.open() / 64));
            }
            long now = System.nanoTime();
            if (!logged || now - lastLog > LOG_EVERY_NANOS) {
                logged = true;
                lastLog = now;
                try {
                    log.warn("accepting a connection failed (" + failures + " time(s) so far): " + cause
                            + "; " + guard.open() + " connections open, cap " + guard.cap()
                            + (fileLimit > 0 ? ", open-file limit " + fileLimit : "")
                            + (outOfFiles ? "; closing idle connections. Lower --max-connections or raise 'ulimit -n'"
                            : "") + "; pausing " + pauseMs + " ms and accepting again");
                } catch (Throwable ignored) {
                    // logging must never take the listener down
                }
            }
            Channel ch = ctx.channel();
            ch.config().setAutoRead(false);
            long pause = pauseMs;
            pauseMs = Math.min(MAX_PAUSE_MS, pauseMs * 2);
            ch.eventLoop().schedule(() -> {
                if (ch.isOpen()) {
                    ch.config().setAutoRead(true);
                }
            }, pause, TimeUnit.MILLISECONDS);
            // Not passed on: Netty's own acceptor would pause a fixed second and log through a logger of its own.
        }
    }
}
