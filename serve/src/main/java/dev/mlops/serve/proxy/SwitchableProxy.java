package dev.mlops.serve.proxy;

import dev.mlops.engine.deploy.LocalState;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The local target's front door: a reverse proxy on the environment's public port that forwards every request to
 * one upstream model server, and an admin port (127.0.0.1 only) whose authenticated {@code PUT /-/upstream} replaces
 * that upstream in one atomic step. Each request reads the upstream once when it arrives, so requests in flight
 * finish on the old server while new ones go to the new one.
 *
 * <p>Built on Netty because the JDK {@code HttpServer} could not survive abusive clients: a handler thread blocks
 * for the whole body, so 33 slow-body clients starved a 32-thread pool, and it offers no body limit, no per-phase
 * timeouts, no connection cap and answers its own errors in HTML. Here every phase has a deadline (headers, body,
 * idle keep-alive, upstream, response write), bodies are bounded (413), connections are capped (503), and every error
 * the proxy makes itself is one line of JSON. Admin calls need the secret in the environment's state folder and may
 * only name an upstream this environment started ({@link LocalState#livePorts}).
 */
public final class SwitchableProxy implements AutoCloseable {
    /** Hop-by-hop headers (RFC 9110 §7.6.1) and those java.net.http sets itself. */
    private static final Set<String> SKIP = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding",
            "te", "trailer", "upgrade", "host", "content-length", "expect", "proxy-authenticate", "proxy-authorization");

    /**
     * Limits of the public port: at most {@code maxConnections} open at once, request bodies up to
     * {@code maxBodyBytes}, headers within {@code headerTimeout} of their first byte, the body within
     * {@code bodyTimeout} of the headers, an idle keep-alive connection closed after {@code idleTimeout}, the upstream
     * answering within {@code upstreamTimeout}, and a response written within {@code writeTimeout}.
     */
    public record Limits(int maxConnections, int maxBodyBytes, Duration headerTimeout, Duration bodyTimeout,
                         Duration idleTimeout, Duration upstreamTimeout, Duration writeTimeout) {
        public Limits {
            if (maxConnections < 1 || maxBodyBytes < 1) {
                throw new IllegalArgumentException("max connections and max body bytes must be positive");
            }
        }

        public static Limits defaults() {
            return new Limits(1024, 16 << 20, Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
                    Duration.ofSeconds(30), Duration.ofSeconds(30));
        }
    }

    private final AtomicReference<URI> upstream;
    private final Limits limits;
    private final Path stateDir;
    private final PrintStream log;
    private final HttpClient http;
    private final EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("proxy-accept", true));
    private final EventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory("proxy", true));
    private Channel front;
    private Channel admin;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private final AtomicLong tooLarge = new AtomicLong();

    private SwitchableProxy(URI first, Path stateDir, Limits limits, PrintStream log) {
        this.upstream = new AtomicReference<>(first);
        this.stateDir = stateDir;
        this.limits = limits;
        this.log = log;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
    }

    /**
     * Starts the proxy. {@code bind} is the public address (port 0 picks one); the admin port always binds to
     * 127.0.0.1. {@code stateDir} holds the admin secret and the colors whose ports are allowed upstreams; the first
     * {@code upstream} must be one of them. {@code log} gets one line per admin action and refusal.
     */
    public static SwitchableProxy start(InetSocketAddress bind, int adminPort, URI upstream, Path stateDir,
                                        Limits limits, PrintStream log) {
        SwitchableProxy p = new SwitchableProxy(upstream, stateDir, limits, log);
        Optional<String> refused = p.refusal(upstream);
        if (refused.isPresent()) {
            throw new IllegalArgumentException(refused.get());
        }
        try {
            p.front = p.bootstrap(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    Conn c = p.new Conn();
                    ch.pipeline().addLast(c, new HttpServerCodec(8192, 16384, 16384),
                            new WriteTimeoutHandler(limits.writeTimeout().toMillis(), TimeUnit.MILLISECONDS),
                            c.phases(), p.new Aggregator(limits.maxBodyBytes()), p.new Forwarder(c));
                }
            }).bind(bind).syncUninterruptibly().channel();
            p.admin = p.bootstrap(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(new io.netty.handler.timeout.ReadTimeoutHandler(10),
                            new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(4096), p.new Admin());
                }
            }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), adminPort)).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            p.stop(Duration.ZERO);
            throw new IllegalStateException("cannot listen on " + bind + " (admin port " + adminPort + "): "
                    + e.getMessage(), e);
        }
        return p;
    }

    private ServerBootstrap bootstrap(ChannelInitializer<SocketChannel> init) {
        return new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true).childHandler(init);
    }

    public URI upstream() {
        return upstream.get();
    }

    /** Atomically replaces the upstream after the same checks as the admin call; returns the previous one. */
    public URI switchTo(URI next) {
        Optional<String> refused = refusal(next);
        if (refused.isPresent()) {
            throw new IllegalArgumentException(refused.get());
        }
        return upstream.getAndSet(next);
    }

    public int port() {
        return ((InetSocketAddress) front.localAddress()).getPort();
    }

    public int adminPort() {
        return ((InetSocketAddress) admin.localAddress()).getPort();
    }

    /** Requests forwarded, and requests answered 502/504 because the upstream failed. */
    public long forwarded() {
        return forwarded.get();
    }

    public long failed() {
        return failed.get();
    }

    /** Public connections open right now. */
    public int connections() {
        return connections.get();
    }

    /** Connections refused at the cap, requests cut at a phase deadline, bodies refused as too large. */
    public Map<String, Long> counters() {
        return Map.of("connections", (long) connections.get(), "forwarded", forwarded.get(), "failed", failed.get(),
                "rejected", rejected.get(), "timedOut", timedOut.get(), "tooLarge", tooLarge.get());
    }

    /** Why {@code u} may not be an upstream (empty: it may): http to 127.0.0.1 on a port this environment started. */
    private Optional<String> refusal(URI u) {
        if (u == null || !"http".equals(u.getScheme()) || u.getPort() < 1
                || !("127.0.0.1".equals(u.getHost()) || "localhost".equals(u.getHost()))
                || (u.getRawPath() != null && !u.getRawPath().isEmpty() && !u.getRawPath().equals("/"))) {
            return Optional.of("upstream must be http://127.0.0.1:<port>, got " + u);
        }
        Set<Integer> allowed = LocalState.livePorts(stateDir);
        if (!allowed.contains(u.getPort())) {
            return Optional.of("upstream " + u + " is not a server this environment started (running colors: ports "
                    + allowed + " per " + stateDir + ")");
        }
        return Optional.empty();
    }

    /** Stops accepting, lets requests in flight finish for up to {@code grace}, then closes everything. */
    public void stop(Duration grace) {
        if (admin != null) {
            admin.close().syncUninterruptibly();
        }
        if (front != null) {
            front.close().syncUninterruptibly();
        }
        long until = System.nanoTime() + grace.toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < until) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(1));
    }

    // ---- responses the proxy makes itself: one line of JSON, always ----

    static FullHttpResponse json(HttpResponseStatus status, String body, boolean close) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(b));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
        if (close) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return r;
    }

    static String error(String message) {
        return "{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }

    private static void closeAfter(ChannelHandlerContext ctx, FullHttpResponse r) {
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    // ---- the public port ----

    private enum Phase { IDLE, HEADERS, BODY, UPSTREAM }

    /**
     * First in the pipeline: counts the connection against the cap (over it: a 503 written as raw bytes, then
     * close) and owns the phase deadline. Raw bytes after an idle period start the header deadline.
     */
    private final class Conn extends ChannelDuplexHandler {
        private Phase phase = Phase.IDLE;
        private ScheduledFuture<?> deadline;
        private boolean counted;
        private ChannelHandlerContext self;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            self = ctx;
            if (connections.incrementAndGet() > limits.maxConnections()) {
                connections.decrementAndGet();
                rejected.incrementAndGet();
                String body = error("too many connections (limit " + limits.maxConnections() + ")");
                ByteBuf raw = Unpooled.copiedBuffer("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                        + "Content-Length: " + body.length() + "\r\nConnection: close\r\nRetry-After: 1\r\n\r\n" + body,
                        StandardCharsets.US_ASCII);
                ctx.writeAndFlush(raw).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            counted = true;
            arm(Phase.IDLE, limits.idleTimeout());
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (!counted) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            if (phase == Phase.IDLE) {
                arm(Phase.HEADERS, limits.headerTimeout());
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (counted) {
                connections.decrementAndGet();
                counted = false;
            }
            cancel();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a reset client, a write timeout: nothing to tell anyone
        }

        void arm(Phase p, Duration after) {
            cancel();
            phase = p;
            if (after != null) {
                deadline = self.executor().schedule(this::expire, after.toMillis(), TimeUnit.MILLISECONDS);
            }
        }

        private void cancel() {
            if (deadline != null) {
                deadline.cancel(false);
                deadline = null;
            }
        }

        private void expire() {
            Channel ch = self.channel();
            if (phase == Phase.IDLE) {
                ch.close();
                return;
            }
            if (phase == Phase.HEADERS || phase == Phase.BODY) {
                timedOut.incrementAndGet();
                String what = phase == Phase.HEADERS ? "headers" : "body";
                Duration limit = phase == Phase.HEADERS ? limits.headerTimeout() : limits.bodyTimeout();
                ChannelHandlerContext out = ch.pipeline().context(Forwarder.class);
                FullHttpResponse r = json(HttpResponseStatus.REQUEST_TIMEOUT, error("request " + what + " not received"
                        + " within " + limit.toSeconds() + " s"), true);
                if (out != null) {
                    closeAfter(out, r);
                } else {
                    ch.close();
                }
            }
        }

        /** Sees decoded messages: headers complete starts the body deadline, the last content ends it. */
        ChannelDuplexHandler phases() {
            return new ChannelDuplexHandler() {
                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                    if (msg instanceof HttpRequest) {
                        arm(Phase.BODY, limits.bodyTimeout());
                    }
                    if (msg instanceof LastHttpContent) {
                        arm(Phase.UPSTREAM, null); // the upstream call has its own timeout
                    }
                    super.channelRead(ctx, msg);
                }
            };
        }
    }

    /** Collects the body up to the limit; a larger one (by Content-Length, Expect, or while reading) gets a JSON 413. */
    private final class Aggregator extends HttpObjectAggregator {
        Aggregator(int maxBytes) {
            super(maxBytes, true);
        }

        private FullHttpResponse tooLarge() {
            tooLarge.incrementAndGet();
            return json(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, error("request body larger than "
                    + limits.maxBodyBytes() + " bytes"), true);
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object r = super.newContinueResponse(start, maxContentLength, pipeline);
            if (r instanceof FullHttpResponse f && f.status().code() == 413) {
                f.release();
                return tooLarge();
            }
            return r;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            // Answer at once, keep discarding what the client still sends for a moment so it can read the answer.
            ctx.writeAndFlush(tooLarge());
            ctx.executor().schedule(() -> ctx.close(), 1, TimeUnit.SECONDS);
        }
    }

    /**
     * One request at a time per connection: reads pause while the upstream answers, so responses keep their order
     * and a client cannot queue work (HTTP pipelining, which no common client uses, is not sped up).
     */
    private final class Forwarder extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Conn conn;

        Forwarder(Conn conn) {
            this.conn = conn;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (req.decoderResult().isFailure()) {
                Throwable why = req.decoderResult().cause();
                HttpResponseStatus st = why instanceof TooLongFrameException
                        ? HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE : HttpResponseStatus.BAD_REQUEST;
                closeAfter(ctx, json(st, error("malformed request: " + (why instanceof TooLongFrameException
                        ? "request line or headers too long" : "not HTTP/1.1")), true));
                return;
            }
            if (!req.uri().startsWith("/")) {
                closeAfter(ctx, json(HttpResponseStatus.BAD_REQUEST, error("request target must be a path"), true));
                return;
            }
            URI base = upstream.get();
            java.net.http.HttpRequest.Builder b;
            try {
                b = java.net.http.HttpRequest.newBuilder(URI.create(base + req.uri())).timeout(limits.upstreamTimeout());
            } catch (IllegalArgumentException e) {
                closeAfter(ctx, json(HttpResponseStatus.BAD_REQUEST, error("request target is not a valid URI"), true));
                return;
            }
            byte[] body = ByteBufUtil.getBytes(req.content());
            b.method(req.method().name(), body.length == 0 ? BodyPublishers.noBody() : BodyPublishers.ofByteArray(body));
            for (Map.Entry<String, String> h : req.headers()) {
                if (!SKIP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                    try {
                        b.header(h.getKey(), h.getValue());
                    } catch (IllegalArgumentException restricted) {
                        // a header java.net.http sets itself
                    }
                }
            }
            if (ctx.channel().remoteAddress() instanceof InetSocketAddress a) {
                b.header("X-Forwarded-For", a.getAddress().getHostAddress());
            }
            boolean head = req.method().name().equals("HEAD");
            ctx.channel().config().setAutoRead(false);
            inFlight.incrementAndGet();
            http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).whenComplete((res, err) ->
                    ctx.executor().execute(() -> {
                        inFlight.decrementAndGet();
                        FullHttpResponse out = err == null ? relay(res, head) : upstreamFailed(base, err);
                        boolean close = !keepAlive || err != null && out.status().code() == 504;
                        if (close) {
                            out.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                            closeAfter(ctx, out);
                            return;
                        }
                        ctx.writeAndFlush(out).addListener(f -> {
                            conn.arm(Phase.IDLE, limits.idleTimeout());
                            ctx.channel().config().setAutoRead(true);
                        });
                    }));
        }

        private FullHttpResponse relay(HttpResponse<byte[]> res, boolean head) {
            byte[] b = res.body() == null ? new byte[0] : res.body();
            int code = res.statusCode();
            boolean noBody = head || code == 204 || code == 304;
            FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(code),
                    noBody ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(b));
            res.headers().map().forEach((k, vs) -> {
                if (!SKIP.contains(k.toLowerCase(Locale.ROOT)) && !k.startsWith(":")) {
                    out.headers().set(k, vs);
                }
            });
            if (!noBody) {
                out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, b.length);
            }
            forwarded.incrementAndGet();
            return out;
        }

        private FullHttpResponse upstreamFailed(URI base, Throwable err) {
            failed.incrementAndGet();
            Throwable e = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
            if (e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException)) {
                return json(HttpResponseStatus.GATEWAY_TIMEOUT, error("upstream " + base + " did not answer within "
                        + limits.upstreamTimeout().toSeconds() + " s"), true);
            }
            String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException ? "refused the connection"
                    : e instanceof IOException ? "closed the connection" : "failed";
            return json(HttpResponseStatus.BAD_GATEWAY, error("upstream " + base + " " + why), false);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    // ---- the admin port ----

    /** {@code GET|PUT /-/upstream} and {@code GET /-/stats}, each with {@code Authorization: Bearer <secret>}. */
    private final class Admin extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String from = String.valueOf(ctx.channel().remoteAddress());
            String method = req.method().name();
            String path = req.uri();
            if (req.decoderResult().isFailure()) {
                closeAfter(ctx, json(HttpResponseStatus.BAD_REQUEST, error("malformed request"), true));
                return;
            }
            Optional<dev.mlops.engine.Secret> secret = LocalState.readSecret(stateDir);
            if (secret.isEmpty()) {
                log.println("admin: refused " + method + " " + path + " from " + from + ": no usable secret file in "
                        + stateDir + " (missing, or readable by others)");
                closeAfter(ctx, json(HttpResponseStatus.SERVICE_UNAVAILABLE, error("the admin secret file is missing "
                        + "or readable by others; no admin call is accepted"), true));
                return;
            }
            String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
            byte[] want = ("Bearer " + secret.get().reveal()).getBytes(StandardCharsets.UTF_8);
            if (!MessageDigest.isEqual(want, auth.getBytes(StandardCharsets.UTF_8))) {
                log.println("admin: refused " + method + " " + path + " from " + from + ": "
                        + (auth.isEmpty() ? "no" : "wrong") + " secret");
                closeAfter(ctx, json(HttpResponseStatus.UNAUTHORIZED, error("missing or wrong admin secret"), true));
                return;
            }
            FullHttpResponse r = switch (method + " " + path) {
                case "GET /-/upstream" -> json(HttpResponseStatus.OK, "{\"upstream\":\"" + upstream.get() + "\"}", false);
                case "GET /-/stats" -> json(HttpResponseStatus.OK, stats(), false);
                case "PUT /-/upstream" -> put(req.content().toString(StandardCharsets.UTF_8).trim(), from);
                default -> json(HttpResponseStatus.NOT_FOUND, error("GET or PUT /-/upstream, GET /-/stats"), false);
            };
            ctx.writeAndFlush(r);
        }

        private FullHttpResponse put(String text, String from) {
            URI next;
            try {
                next = URI.create(text);
            } catch (IllegalArgumentException e) {
                return json(HttpResponseStatus.BAD_REQUEST, error("not a URI: " + text), false);
            }
            Optional<String> refused = refusal(next);
            if (refused.isPresent()) {
                log.println("admin: refused the switch to " + next + " from " + from + ": " + refused.get());
                return json(HttpResponseStatus.FORBIDDEN, error(refused.get()), false);
            }
            URI old = upstream.getAndSet(next);
            log.println("admin: upstream " + old + " -> " + next);
            return json(HttpResponseStatus.OK, "{\"upstream\":\"" + next + "\",\"previous\":\"" + old + "\"}", false);
        }

        private String stats() {
            StringBuilder b = new StringBuilder("{");
            for (Map.Entry<String, Long> e : new java.util.TreeMap<>(counters()).entrySet()) {
                b.append(b.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":").append(e.getValue());
            }
            return b.append('}').toString();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
