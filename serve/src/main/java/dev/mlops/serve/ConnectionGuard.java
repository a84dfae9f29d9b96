package dev.mlops.serve;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps abusive clients from holding the server: the connection cap (a newcomer at the cap displaces the oldest idle
 * connection, or is refused when all are busy), the idle timeout, the time allowed for a request's headers and for
 * its body, and back-pressure on clients that do not read their responses.
 *
 * <p>Each connection's state lives on its event loop and is touched only there, so the request path pays a few
 * plain field writes and no timer per request: one sweep per event loop and tick (a quarter of the shortest timeout,
 * 10 ms to 1 s) checks every connection of that loop against a clock the sweep itself advances. The acceptor thread
 * reads only the per-loop count of idle connections, published with release semantics.
 */
final class ConnectionGuard {
    /** Why the server closed a connection, as counted in {@code mlops_connections_closed_total{reason}}. */
    enum Closed {
        IDLE("idle"), HEADER_TIMEOUT("header_timeout"), BODY_TIMEOUT("body_timeout"), DISPLACED("displaced"),
        STALLED("stalled_reader");

        final String label;

        Closed(String label) {
            this.label = label;
        }
    }

    /** What the guard needs from the server: a 408 written through the pipeline, and counters. */
    interface Server {
        /**
         * Writes a 408 JSON error, with {@code Connection: close}, for the request whose headers ({@code request} is
         * then null) or body timed out, and closes the connection once it is written.
         */
        void timedOut(ChannelHandlerContext ctx, HttpRequest request, String message);

        void closed(Closed reason);

        void refused();
    }

    /** Connections admitted beyond the cap while they make room; past this, newcomers are refused at once. */
    private static final int DISPLACE_SLACK = 64;
    private static final VarHandle IDLE;

    static {
        try {
            IDLE = MethodHandles.lookup().findVarHandle(Loop.class, "idle", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int cap;
    private final long idleNanos;
    private final long headerNanos;
    private final long bodyNanos;
    private final long tickNanos;
    private final Duration headerTimeout;
    private final Duration bodyTimeout;
    private final Server server;
    private final AtomicInteger open = new AtomicInteger();
    /** Requests from their headers until their response is written (or their connection closes): what a drain waits for. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong served = new AtomicLong();
    private final Map<EventExecutor, Loop> loops = new IdentityHashMap<>();
    private final Loop[] loopArray;
    private final ScheduledFuture<?>[] sweeps;

    ConnectionGuard(int cap, ServeConfig.Connections c, EventLoopGroup workers, Server server) {
        this.cap = cap;
        this.idleNanos = c.idleTimeout().toNanos();
        this.headerNanos = c.headerTimeout().toNanos();
        this.bodyNanos = c.bodyTimeout().toNanos();
        this.headerTimeout = c.headerTimeout();
        this.bodyTimeout = c.bodyTimeout();
        this.server = server;
        long shortest = Math.min(idleNanos, Math.min(headerNanos, bodyNanos));
        this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(10), Math.min(TimeUnit.SECONDS.toNanos(1), shortest / 4));
        for (EventExecutor e : workers) {
            loops.put(e, new Loop((EventLoop) e));
        }
        loopArray = loops.values().toArray(new Loop[0]);
        sweeps = new ScheduledFuture<?>[loopArray.length];
        for (int i = 0; i < loopArray.length; i++) {
            Loop l = loopArray[i];
            sweeps[i] = l.executor.scheduleAtFixedRate(l::sweep, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    int cap() {
        return cap;
    }

    int open() {
        return open.get();
    }

    int inFlight() {
        return inFlight.get();
    }

    long served() {
        return served.get();
    }

    void cancelSweeps() {
        for (ScheduledFuture<?> f : sweeps) {
            f.cancel(false);
        }
    }

    /**
     * On the acceptor thread, for each accepted connection: below the cap it is admitted; beyond it, it is admitted
     * marked to make room (see {@link #makeRoom}), unless so many are already making room that it is refused at once.
     */
    boolean admit(Channel child) {
        int n = open.incrementAndGet();
        if (n <= cap) {
            return true;
        }
        if (n <= cap + DISPLACE_SLACK) {
            child.attr(MAKE_ROOM).set(Boolean.TRUE);
            return true;
        }
        open.decrementAndGet();
        server.refused();
        return false;
    }

    private static final io.netty.util.AttributeKey<Boolean> MAKE_ROOM =
            io.netty.util.AttributeKey.valueOf(ConnectionGuard.class, "makeRoom");

    /**
     * On the newcomer's own event loop, once it is registered: a newcomer admitted beyond the cap closes the oldest idle
     * connection of its loop, else of the next loops in turn; if no loop has one, every connection is busy and the
     * newcomer itself is closed (refused).
     */
    void makeRoom(Channel newcomer) {
        if (newcomer.hasAttr(MAKE_ROOM) && Boolean.TRUE.equals(newcomer.attr(MAKE_ROOM).getAndSet(null))) {
            Loop own = loops.get(newcomer.eventLoop());
            int start = java.util.Arrays.asList(loopArray).indexOf(own);
            makeRoom(newcomer, start, 0);
        }
    }

    private void makeRoom(Channel newcomer, int at, int visited) {
        if (visited == loopArray.length) {
            server.refused();
            newcomer.close();
            return;
        }
        Loop l = loopArray[at];
        Runnable step = () -> {
            if (!l.displaceOldestIdle(newcomer)) {
                makeRoom(newcomer, (at + 1) % loopArray.length, visited + 1);
            }
        };
        if (l.executor.inEventLoop()) {
            step.run();
        } else {
            l.executor.execute(step);
        }
    }

    /**
     * Asks event loops to close their oldest idle connections, {@code wanted} in all, each time from the loop with
     * the most idle connections not yet asked for (so every loop keeps its newest); returns how many were asked for.
     */
    int displace(int wanted) {
        int asked = 0;
        while (asked < wanted) {
            Loop best = null;
            int bestSpare = 0;
            for (Loop l : loopArray) {
                int spare = (int) IDLE.getAcquire(l) - l.displacing.get();
                if (spare > bestSpare) {
                    best = l;
                    bestSpare = spare;
                }
            }
            if (best == null) {
                break;
            }
            int k = Math.min(wanted - asked, Math.max(1, bestSpare / 2));
            Loop l = best;
            l.displacing.addAndGet(k);
            l.executor.execute(() -> l.displaceOldestIdle(k));
            asked += k;
        }
        return asked;
    }

    /** The handlers of one new connection: one before the HTTP codec (raw bytes), one after it (messages). */
    ChannelInboundHandlerAdapter[] handlers() {
        Conn c = new Conn();
        return new ChannelInboundHandlerAdapter[]{c.raw, c};
    }

    private static final int IDLE_STATE = 0;
    private static final int HEADERS = 1;
    private static final int BODY = 2;

    /** The event-loop-confined state of one connection; also its message-side handler (after the codec). */
    private final class Conn extends ChannelDuplexHandler {
        final Raw raw = new Raw(this);
        final ChannelFutureListener written = f -> responseDone();
        Loop loop;
        Channel channel;
        ChannelHandlerContext ctx;
        int reading = IDLE_STATE;
        long since;
        int pending;
        int unfinished;
        long unwritableSince;
        HttpRequest request;
        boolean closing;
        boolean counted;
        Conn prev;
        Conn next;

        boolean idle() {
            return reading == IDLE_STATE && pending == 0 && !closing;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            this.ctx = ctx;
            this.channel = ctx.channel();
            this.loop = loops.get(ctx.channel().eventLoop());
            counted = true;
            since = loop.now;
            loop.add(this);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                counted = false;
                open.decrementAndGet();
                loop.remove(this);
                inFlight.addAndGet(-unfinished);
                unfinished = 0;
            }
            super.channelInactive(ctx);
        }

        /** The first byte of a request starts its header clock. */
        void bytesArrived() {
            if (reading == IDLE_STATE && !closing) {
                boolean was = idle();
                reading = HEADERS;
                since = loop.now;
                loop.changed(was, idle());
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest r) {
                boolean was = idle();
                request = r;
                reading = BODY;
                since = loop.now;
                pending++;
                unfinished++;
                inFlight.incrementAndGet();
                loop.changed(was, idle());
            }
            if (msg instanceof LastHttpContent && reading != IDLE_STATE) {
                boolean was = idle();
                reading = IDLE_STATE;
                since = loop.now;
                loop.changed(was, idle());
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof HttpResponse r && r.status().code() >= 200 && pending > 0) {
                boolean was = idle();
                pending--;
                since = loop.now;
                loop.changed(was, idle());
                promise = promise.unvoid();
                promise.addListener(written);
            }
            super.write(ctx, msg, promise);
        }

        private void responseDone() {
            if (unfinished > 0) {
                unfinished--;
                inFlight.decrementAndGet();
                served.incrementAndGet();
            }
        }

        /** A client that does not read its responses stops being read from, until it catches up. */
        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
            boolean writable = ctx.channel().isWritable();
            unwritableSince = writable ? 0 : Math.max(1, loop.now);
            if (!closing) {
                ctx.channel().config().setAutoRead(writable);
            }
            super.channelWritabilityChanged(ctx);
        }

        void close(Closed why) {
            if (closing) {
                return;
            }
            boolean was = idle();
            closing = true;
            loop.changed(was, false);
            server.closed(why);
            channel.close();
        }

        /** Headers or body too slow: a 408 if this request has no response yet, then the connection closes. */
        void timeOut(Closed why) {
            if (closing) {
                return;
            }
            // A body already answered (413 after Expect: 100-continue) that keeps coming gets no second answer.
            boolean answered = why == Closed.BODY_TIMEOUT && pending == 0;
            boolean was = idle();
            closing = true;
            loop.changed(was, false);
            server.closed(why);
            channel.config().setAutoRead(false);
            if (answered) {
                channel.close();
                return;
            }
            String message = why == Closed.HEADER_TIMEOUT
                    ? "request headers not received within " + seconds(headerTimeout) + " (--header-timeout)"
                    : "request body not received within " + seconds(bodyTimeout) + " (--body-timeout)";
            server.timedOut(ctx, why == Closed.HEADER_TIMEOUT ? null : request, message);
        }

        void check(long now) {
            if (closing) {
                return;
            }
            long age = now - since;
            if (reading == HEADERS && age > headerNanos) {
                timeOut(Closed.HEADER_TIMEOUT);
            } else if (reading == BODY && age > bodyNanos) {
                timeOut(Closed.BODY_TIMEOUT);
            } else if (reading == IDLE_STATE && pending == 0 && age > idleNanos) {
                close(Closed.IDLE);
            } else if (unwritableSince > 0 && now - unwritableSince > idleNanos) {
                close(Closed.STALLED);
            }
        }
    }

    /** Before the codec: sees raw bytes, so the header clock starts at a request's first byte. */
    private static final class Raw extends ChannelInboundHandlerAdapter {
        private final Conn conn;

        Raw(Conn conn) {
            this.conn = conn;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof ByteBuf b && b.isReadable()) {
                conn.bytesArrived();
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** The connections of one event loop, oldest first, and the loop's coarse clock. */
    private final class Loop {
        final EventLoop executor;
        final AtomicInteger displacing = new AtomicInteger();
        @SuppressWarnings("unused") // through IDLE
        private volatile int idle;
        private int idlePlain;
        /** Advanced by each sweep, rounded up a tick so a clock read between sweeps never makes a timeout early. */
        long now;
        private Conn head;
        private Conn tail;

        Loop(EventLoop executor) {
            this.executor = executor;
            this.now = System.nanoTime() + tickNanos;
        }

        void add(Conn c) {
            c.prev = tail;
            c.next = null;
            if (tail == null) {
                head = c;
            } else {
                tail.next = c;
            }
            tail = c;
            changed(false, c.idle());
        }

        void remove(Conn c) {
            changed(c.idle(), false);
            if (c.prev == null) {
                head = c.next;
            } else {
                c.prev.next = c.next;
            }
            if (c.next == null) {
                tail = c.prev;
            } else {
                c.next.prev = c.prev;
            }
            c.prev = null;
            c.next = null;
        }

        void changed(boolean was, boolean is) {
            if (was != is) {
                idlePlain += is ? 1 : -1;
                IDLE.setRelease(this, idlePlain);
            }
        }

        void sweep() {
            now = System.nanoTime() + tickNanos;
            long checkAt = now - tickNanos;
            for (Conn c = head; c != null; ) {
                Conn next = c.next;
                c.check(checkAt);
                c = next;
            }
        }

        /** Closes this loop's oldest idle connection other than {@code newcomer}; false if it has none. */
        boolean displaceOldestIdle(Channel newcomer) {
            for (Conn c = head; c != null; c = c.next) {
                if (c.idle() && c.channel != newcomer) {
                    c.close(Closed.DISPLACED);
                    return true;
                }
            }
            return false;
        }

        void displaceOldestIdle(int k) {
            int done = 0;
            for (Conn c = head; c != null && done < k; ) {
                Conn next = c.next;
                if (c.idle()) {
                    c.close(Closed.DISPLACED);
                    done++;
                }
                c = next;
            }
            displacing.addAndGet(-k);
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }
}
