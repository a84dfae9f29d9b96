package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import dev.mlops.engine.InfraException;
import dev.mlops.engine.Log;
import dev.mlops.serve.Metrics.Endpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP model server: {@code /predict}, MLflow's {@code /invocations}, the Open Inference Protocol (V2),
 * health, readiness and Prometheus metrics. Every response, errors included, carries {@value #HEADER_MODEL_VERSION}
 * and {@value #HEADER_GIT_SHA}, so a smoke test or a rollback can prove which model answered.
 *
 * <p>Lifecycle: {@link #open()} rehearses every kind of request in memory (so no class is loaded once files may be
 * scarce), binds and serves with readiness 503; {@link #warmUp()} runs synthetic requests through the same in-memory
 * pipeline until the JIT has it, then reports ready; {@link #start()} does both. {@link #stop(Duration)} turns
 * readiness to 503, keeps serving for the grace period so load balancers stop routing here, waits for in-flight
 * requests, then closes, all within the drain timeout. Responses sent while draining carry {@code Connection: close}.
 * Connections are capped and timed by {@link ConnectionGuard}; the listener is a {@link GuardedServerChannel} that
 * backs off on accept errors, and a watchdog binds again should it ever close.
 *
 * <p>Why Netty (NIO transport): measured with wrk on this 2-core machine, against the JDK's built-in
 * {@code com.sun.net.httpserver} with {@code sun.net.httpserver.nodelay=true} and the same request code, Netty served
 * about 2.2 times the requests: {@code GET /health} ~125-130k vs ~58-66k req/s, single-row {@code /predict} ~94k vs
 * ~40k req/s (bench/serve/README.md). Netty 4.1.118 is already in the CLI's classpath through fabric8's vertx
 * client, so the choice adds no bytes to the image. Requests are handled on the event loops: prediction is
 * CPU-bound and takes microseconds, so a hand-off to another pool would cost more than it saves.
 */
public final class ModelServer {
    public static final String HEADER_MODEL_NAME = "X-Model-Name";
    public static final String HEADER_MODEL_VERSION = "X-Model-Version";
    public static final String HEADER_GIT_SHA = "X-Model-Git-Sha";
    public static final String SERVER_VERSION = "0.1.0";

    private static final String JSON = "application/json";
    private static final String CSV = "text/csv";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final AsciiString JSON_TYPE = AsciiString.cached(JSON);
    private static final AsciiString X_MODEL_NAME = AsciiString.cached(HEADER_MODEL_NAME);
    private static final AsciiString X_MODEL_VERSION = AsciiString.cached(HEADER_MODEL_VERSION);
    private static final AsciiString X_GIT_SHA = AsciiString.cached(HEADER_GIT_SHA);
    private static final int KEEP_BUFFER = 64 * 1024;

    private final ServedModel model;
    private final ServeConfig config;
    private final Log log;
    private final Metrics metrics;
    private final Predictor predictor;
    private final PerThread<byte[]> buffers = new PerThread<>(() -> new byte[16 * 1024]);
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final byte[] healthBody;
    private final byte[] readyBody;
    private final byte[] liveV2Body;
    private final byte[] readyV2Body;
    private final byte[] notReadyV2Body;

    private volatile boolean ready;
    private volatile boolean draining;
    private volatile String notReadyReason = "not started";
    private final AsciiString nameHeader;
    private final AsciiString versionHeader;
    private final AsciiString gitShaHeader;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptor;
    private EventLoopGroup workers;
    private volatile Channel listener;
    private volatile ConnectionGuard guard;
    private ServerBootstrap bootstrap;
    private InetSocketAddress bound;
    private ScheduledFuture<?> watchdog;
    private boolean rebinding; // watchdog's event loop only
    private boolean stopCalled;

    public ModelServer(ServedModel model, ServeConfig config, Log log) {
        this.model = model;
        this.config = config;
        this.log = log;
        this.metrics = new Metrics(model);
        this.predictor = new Predictor(model, config.maxBatch(), metrics);
        String identity = ",\"model_name\":" + quote(model.name()) + ",\"model_version\":" + quote(model.version()) + "}";
        this.healthBody = bytes("{\"status\":\"ok\"" + identity);
        this.readyBody = bytes("{\"ready\":true" + identity);
        this.liveV2Body = bytes("{\"live\":true}");
        this.readyV2Body = bytes("{\"ready\":true}");
        this.notReadyV2Body = bytes("{\"ready\":false}");
        this.nameHeader = AsciiString.of(headerValue(model.name()));
        this.versionHeader = AsciiString.of(headerValue(model.version()));
        this.gitShaHeader = AsciiString.of(headerValue(model.gitSha()));
    }

    /** Header values must be printable ASCII; anything else is replaced rather than breaking every response. */
    private static String headerValue(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }

    /** Binds, warms up, and reports ready. Returns this for chaining. */
    public ModelServer start() {
        open();
        warmUp();
        return this;
    }

    /** Binds the port and starts answering; readiness stays 503 until {@link #warmUp()}. */
    public synchronized void open() {
        if (listener != null) {
            throw new IllegalStateException("already open");
        }
        FileLimits files = FileLimits.current();
        int cap = files.connectionCap(config.connections().maxConnections());
        acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("serve-accept", true));
        workers = new NioEventLoopGroup(config.threads(), new DefaultThreadFactory("serve", true));
        ConnectionGuard g = new ConnectionGuard(cap, config.connections(), workers, guardCallbacks());
        guard = g;
        preloadForFileExhaustion();
        bootstrap = new ServerBootstrap().group(acceptor, workers)
                .channelFactory(() -> new GuardedServerChannel(g, log, files.limit()))
                .option(ChannelOption.SO_BACKLOG, 1024)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(((GuardedServerChannel) ch).backoff);
                    }
                })
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        g.makeRoom(ch);
                        ChannelInboundHandlerAdapter[] guarded = g.handlers();
                        ch.pipeline().addLast(guarded[0], new HttpServerCodec(8192, 16384, 16384), guarded[1],
                                new Aggregator(metrics), new Handler(predictor, metrics));
                    }
                });
        try {
            listener = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            g.cancelSweeps();
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new InfraException("cannot listen on " + config.host() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        bound = (InetSocketAddress) listener.localAddress();
        watchdog = workers.next().scheduleWithFixedDelay(this::checkListener, 1, 1, TimeUnit.SECONDS);
        notReadyReason = "warming up";
        log.info("serving " + model + " on http://" + config.host() + ":" + port() + " (" + config.threads()
                + " event loops; up to " + cap + " connections" + files.describe() + ")");
        if (config.connections().maxConnections() > 0 && !files.fits(cap)) {
            log.warn("--max-connections " + cap + " is more than the open-file limit " + files.limit()
                    + " leaves room for; when files run out the server closes idle connections and backs off. "
                    + "Raise 'ulimit -n' or lower --max-connections");
        }
    }

    /**
     * Out of file descriptors, the JVM cannot open a jar to load a class, nor the time-zone database a log line's
     * timestamp needs; the resolution failure then sticks for the life of the process. What the accept loop and
     * the logging path need is loaded here, while files are plentiful (issue 9: the accept thread died exactly so).
     */
    private void preloadForFileExhaustion() {
        java.time.ZoneId.systemDefault();
        new java.util.logging.SimpleFormatter().format(new java.util.logging.LogRecord(java.util.logging.Level.INFO, ""));
        new Rehearsal().everyPath();
    }

    /**
     * Once a second: if the listener is gone (closed by something the server did not ask for, or its event loop
     * died) while the server is not stopping, bind the same address again, on a fresh acceptor if need be.
     */
    private void checkListener() {
        Channel l = listener;
        if (draining || rebinding || (l != null && l.isOpen() && !acceptor.isShuttingDown())) {
            return;
        }
        rebinding = true;
        log.warn("the listener on " + bound + " is gone; listening again");
        if (acceptor.isShuttingDown()) {
            acceptor = new NioEventLoopGroup(1, new DefaultThreadFactory("serve-accept", true));
            bootstrap.group(acceptor, workers);
        }
        bootstrap.bind(bound).addListener(f -> {
            rebinding = false;
            if (f.isSuccess()) {
                listener = ((io.netty.channel.ChannelFuture) f).channel();
                log.info("listening again on " + bound);
            } else {
                log.warn("cannot listen on " + bound + " again yet: " + f.cause() + "; retrying in a second");
            }
        });
    }

    /** The listening channel, for tests that make it fail. */
    Channel listenerForTests() {
        return listener;
    }

    private ConnectionGuard.Server guardCallbacks() {
        return new ConnectionGuard.Server() {
            @Override
            public void timedOut(ChannelHandlerContext ctx, HttpRequest request, String message) {
                Endpoint endpoint = request == null ? Endpoint.OTHER : route(path(request.uri())).endpoint;
                respond(ctx, metrics, endpoint, System.nanoTime(), error(endpoint, 408, message), false, false);
            }

            @Override
            public void closed(ConnectionGuard.Closed reason) {
                metrics.connectionClosed(reason);
            }

            @Override
            public void refused() {
                metrics.connectionRefused();
            }
        };
    }

    /**
     * Runs synthetic requests through the whole HTTP pipeline (codec, aggregator, handler; in memory, not counted in
     * metrics) until the JIT has compiled it, then reports ready.
     */
    public void warmUp() {
        long t0 = System.nanoTime();
        try {
            Rehearsal rehearsal = new Rehearsal();
            for (int i = 0; i < config.warmupRequests(); i++) {
                rehearsal.hotPath(i);
            }
        } catch (RuntimeException e) {
            throw new InfraException("warm-up prediction failed: " + e.getMessage(), e);
        }
        if (!draining) {
            ready = true;
            log.info("ready after " + config.warmupRequests() + " warm-up requests in "
                    + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0) + " ms");
        }
    }

    /**
     * Requests played through an in-memory copy of a connection's pipeline, with their own predictor and metrics.
     * Once every kind of request (errors included) before the port opens, so every class a request can need is loaded
     * while files are plentiful; the valid ones in a loop for the JIT.
     */
    private final class Rehearsal {
        private final Metrics counts = new Metrics(model);
        private final Predictor predicting = new Predictor(model, config.maxBatch(), counts);
        private final byte[][] hot;
        private EmbeddedChannel keepAlive;

        Rehearsal() {
            List<byte[]> h = new ArrayList<>();
            if (model.allNumeric()) {
                h.add(post("/predict", JSON, syntheticFeatures()));
            }
            h.add(post("/predict", JSON, syntheticRow(false)));
            h.add(post("/predict", JSON, syntheticRow(true)));
            h.add(post("/invocations", JSON, "{\"dataframe_records\":[" + syntheticNamed() + "]}"));
            h.add(bytes("GET /health HTTP/1.1\r\nHost: warm-up\r\n\r\n"));
            hot = h.toArray(new byte[0][]);
        }

        /** The {@code i}-th request of the JIT loop: mostly single rows, every 16th a batch or another endpoint. */
        void hotPath(int i) {
            byte[] req = i % 16 == 0 ? hot[1 + (i / 16) % (hot.length - 1)] : hot[0];
            if (keepAlive == null || !keepAlive.isOpen()) {
                keepAlive = channel();
            }
            String status = play(keepAlive, req);
            if (!status.startsWith("HTTP/1.1 200")) {
                throw new IllegalStateException(status);
            }
        }

        /** Every kind of request once, each on a fresh in-memory connection; the answers do not matter. */
        void everyPath() {
            List<byte[]> all = new ArrayList<>(List.of(hot));
            all.add(post("/predict", JSON, "{\"features\": [1, \"x\"]}"));
            all.add(post("/predict", JSON, "{not json"));
            all.add(post("/predict", "text/plain", "x"));
            all.add(post("/invocations", "text/csv", "1,2\n"));
            all.add(post("/v2/models/" + model.name() + "/infer", JSON, "{\"inputs\":[]}"));
            all.add(bytes("GET /nowhere HTTP/1.1\r\nHost: warm-up\r\n\r\n"));
            all.add(bytes("DELETE /predict HTTP/1.1\r\nHost: warm-up\r\n\r\n"));
            all.add(bytes("HEAD /ready HTTP/1.1\r\nHost: warm-up\r\n\r\n"));
            all.add(bytes("GET /metrics HTTP/1.1\r\nHost: warm-up\r\n\r\n"));
            all.add(bytes("GET /v2/models/" + model.name() + " HTTP/1.1\r\nHost: warm-up\r\n\r\n"));
            all.add(bytes("POST /predict HTTP/1.1\r\nHost: warm-up\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + (config.maxBodyBytes() + 1L) + "\r\n\r\n"));
            all.add(bytes("POST /predict HTTP/1.1\r\nHost: warm-up\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: " + (config.maxBodyBytes() + 1L) + "\r\n\r\n"));
            all.add(bytes("POST /predict HTTP/1.1\r\nHost: warm-up\r\nContent-Type: application/json\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"));
            all.add(bytes("GARBAGE\r\n\r\n"));
            for (byte[] req : all) {
                EmbeddedChannel ch = channel();
                play(ch, req);
                ch.finishAndReleaseAll();
            }
        }

        private EmbeddedChannel channel() {
            return new EmbeddedChannel(new HttpServerCodec(8192, 16384, 16384), new Aggregator(counts),
                    new Handler(predicting, counts));
        }

        /** Writes one request in and returns the status line of the first response out. */
        private String play(EmbeddedChannel ch, byte[] req) {
            ch.writeInbound(Unpooled.wrappedBuffer(req));
            String status = "no response";
            for (Object out; (out = ch.readOutbound()) != null; ) {
                if (out instanceof ByteBuf b) {
                    if (status.equals("no response")) {
                        String text = b.toString(StandardCharsets.UTF_8);
                        status = text.substring(0, Math.min(text.length(), 400));
                    }
                }
                ReferenceCountUtil.release(out);
            }
            for (Object in; (in = ch.readInbound()) != null; ) {
                ReferenceCountUtil.release(in);
            }
            return status;
        }

        private byte[] post(String path, String type, String body) {
            byte[] b = bytes(body);
            return bytes("POST " + path + " HTTP/1.1\r\nHost: warm-up\r\nContent-Type: " + type
                    + "\r\nContent-Length: " + b.length + "\r\n\r\n" + body);
        }
    }

    /** A numeric row for the {@code features} fast path. */
    private String syntheticFeatures() {
        String[] zeros = new String[model.inputNames().length];
        Arrays.fill(zeros, "0.5");
        return "{\"features\":[" + String.join(",", zeros) + "]}";
    }

    /** A valid row for this model: zeros for numeric inputs, the first known level for categorical ones. */
    private String syntheticNamed() {
        StringBuilder row = new StringBuilder("{");
        var inputs = model.schema().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            var in = inputs.get(i);
            row.append(i == 0 ? "" : ",").append(quote(in.name())).append(':')
                    .append(in.levels() == null ? "0.0" : quote(in.levels().get(0)));
        }
        return row.append('}').toString();
    }

    private String syntheticRow(boolean batchOf8) {
        String row = syntheticNamed();
        if (!batchOf8) {
            return "{\"inputs\":" + row + "}";
        }
        String[] rows = new String[Math.min(8, config.maxBatch())];
        Arrays.fill(rows, row);
        return "{\"instances\":[" + String.join(",", rows) + "]}";
    }

    public int port() {
        return bound.getPort();
    }

    public boolean isReady() {
        return ready;
    }

    public ServedModel model() {
        return model;
    }

    /** Stops with the configured drain timeout. */
    public void stop() {
        stop(config.drainTimeout());
    }

    /**
     * Graceful stop: readiness turns 503 at once; requests are still served for the grace period (bounded by
     * {@code drainTimeout}); then the port stops accepting connections, requests in flight (counted from their first
     * byte of headers) finish, and the connections close, all within {@code drainTimeout}. Idempotent; a second
     * caller waits for the first to finish.
     */
    public void stop(Duration drainTimeout) {
        synchronized (this) {
            if (stopCalled || listener == null) {
                stopCalled = true;
                stopped.countDown();
                awaitQuietly();
                return;
            }
            stopCalled = true;
        }
        ready = false;
        draining = true;
        notReadyReason = "draining";
        long start = System.nanoTime();
        long deadline = start + drainTimeout.toNanos();
        log.info("draining: readiness is 503; serving for up to " + drainTimeout.toMillis() + " ms");
        int left = 0;
        try {
            sleepUntil(Math.min(start + config.drainGrace().toNanos(), deadline));
            watchdog.cancel(false);
            listener.close().awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
            while (guard.inFlight() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            left = guard.inFlight();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            guard.cancelSweeps();
            connections.close().awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
            workers.shutdownGracefully(0, Math.max(1, remainingMillis(deadline)), TimeUnit.MILLISECONDS);
            acceptor.shutdownGracefully(0, 1, TimeUnit.MILLISECONDS);
            workers.terminationFuture().awaitUninterruptibly(Math.max(1, remainingMillis(deadline)));
            log.info("stopped after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms; "
                    + guard.served() + " requests served" + (left > 0 ? "; " + left + " still in flight at the deadline" : ""));
            stopped.countDown();
        }
    }

    private static long remainingMillis(long deadline) {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    /** Blocks until {@link #stop} has finished. */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    private void awaitQuietly() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    // ---------------------------------------------------------------- request handling

    private record Response(int status, byte[] body, String contentType, String allow) {
        Response(int status, byte[] body) {
            this(status, body, JSON, null);
        }
    }

    /**
     * Collects the body up to the limit; a larger one (by Content-Length, or while reading) gets our JSON 413, and so
     * does one announced with {@code Expect: 100-continue} (Netty's own answer there has an empty body).
     */
    private final class Aggregator extends HttpObjectAggregator {
        private final Metrics counts;

        Aggregator(Metrics counts) {
            super(config.maxBodyBytes(), true);
            this.counts = counts;
        }

        @Override
        protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
            Object netty = super.newContinueResponse(start, maxContentLength, pipeline);
            if (!(netty instanceof HttpResponse refusal) || refusal.status().code() < 400) {
                return netty;
            }
            int status = refusal.status().code();
            ReferenceCountUtil.release(netty);
            Endpoint endpoint = start instanceof HttpRequest r ? route(path(r.uri())).endpoint : Endpoint.OTHER;
            String message = status == 413 ? tooLarge(config.maxBodyBytes()).getMessage()
                    : "unsupported Expect header " + start.headers().get(HttpHeaderNames.EXPECT) + "; only 100-continue is";
            FullHttpResponse resp = response(error(endpoint, status, message), false, false);
            counts.request(endpoint, status, 0);
            return resp;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
            Endpoint endpoint = oversized instanceof HttpRequest r ? route(path(r.uri())).endpoint : Endpoint.OTHER;
            long t0 = System.nanoTime();
            respond(ctx, counts, endpoint, t0, error(endpoint, 413, tooLarge(config.maxBodyBytes()).getMessage()), false, false);
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final Predictor predicting;
        private final Metrics counts;

        Handler(Predictor predicting, Metrics counts) {
            this.predicting = predicting;
            this.counts = counts;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            long t0 = System.nanoTime();
            Endpoint endpoint = Endpoint.OTHER;
            String method = req.method().name();
            Response r;
            try {
                if (req.decoderResult().isFailure()) {
                    throw ApiException.badRequest("malformed HTTP request");
                }
                Route route = route(path(req.uri()));
                endpoint = route.endpoint;
                r = dispatch(route, method, req, predicting);
            } catch (ApiException e) {
                r = error(endpoint, e.status(), e.getMessage());
            } catch (JsonProcessingException e) {
                r = error(endpoint, 400, "malformed JSON: " + describe(e));
            } catch (IOException e) {
                r = error(endpoint, 400, "could not read the request body: " + e.getMessage());
            } catch (RuntimeException e) {
                log.warn("internal error on " + method + " " + req.uri() + ": " + e);
                r = error(endpoint, 500, "internal error while handling the request; the server log has details");
            }
            boolean keepAlive = HttpUtil.isKeepAlive(req) && !req.decoderResult().isFailure();
            respond(ctx, counts, endpoint, t0, r, keepAlive, method.equals("HEAD"));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A reset or broken connection: nobody is left to answer.
            ctx.close();
        }
    }

    private void respond(ChannelHandlerContext ctx, Metrics counts, Endpoint endpoint, long t0, Response r,
                         boolean keepAlive, boolean head) {
        // Draining: make keep-alive clients reconnect elsewhere.
        boolean keep = keepAlive && !draining;
        var future = ctx.writeAndFlush(response(r, keep, head));
        counts.request(endpoint, r.status, System.nanoTime() - t0);
        if (!keep) {
            future.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** The response with the identity headers every response carries. */
    private FullHttpResponse response(Response r, boolean keepAlive, boolean head) {
        FullHttpResponse resp = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status),
                head || r.body.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body), false, false);
        HttpHeaders h = resp.headers();
        h.set(HttpHeaderNames.CONTENT_TYPE, r.contentType == JSON ? JSON_TYPE : r.contentType);
        h.setInt(HttpHeaderNames.CONTENT_LENGTH, r.body.length);
        h.set(X_MODEL_NAME, nameHeader);
        h.set(X_MODEL_VERSION, versionHeader);
        h.set(X_GIT_SHA, gitShaHeader);
        if (r.allow != null) {
            h.set(HttpHeaderNames.ALLOW, r.allow);
        }
        HttpUtil.setKeepAlive(h, HttpVersion.HTTP_1_1, keepAlive);
        return resp;
    }

    /** The decoded path without the query; most requests have neither escapes nor a query, so no work. */
    private static String path(String uri) {
        if (uri.indexOf('%') < 0 && uri.indexOf('?') < 0 && uri.indexOf('+') < 0) {
            return uri;
        }
        return new QueryStringDecoder(uri).path();
    }

    private record Route(Endpoint endpoint, String modelName, String modelVersion) {
    }

    private static final Route OTHER = new Route(Endpoint.OTHER, null, null);

    private static Route route(String path) {
        switch (path) {
            case "/predict": return new Route(Endpoint.PREDICT, null, null);
            case "/health": return new Route(Endpoint.HEALTH, null, null);
            case "/ready": return new Route(Endpoint.READY, null, null);
            case "/invocations": return new Route(Endpoint.INVOCATIONS, null, null);
            case "/ping": return new Route(Endpoint.PING, null, null);
            case "/version": return new Route(Endpoint.VERSION, null, null);
            case "/metrics": return new Route(Endpoint.METRICS, null, null);
            case "/v2": return new Route(Endpoint.V2_SERVER, null, null);
            case "/v2/health/live": return new Route(Endpoint.V2_LIVE, null, null);
            case "/v2/health/ready": return new Route(Endpoint.V2_READY, null, null);
            default: break;
        }
        if (!path.startsWith("/v2/models/")) {
            return OTHER;
        }
        String[] s = path.substring("/v2/models/".length()).split("/", -1);
        if (s[0].isEmpty()) {
            return OTHER;
        }
        String version = null;
        int next = 1;
        if (s.length >= 3 && s[1].equals("versions") && !s[2].isEmpty()) {
            version = s[2];
            next = 3;
        }
        if (s.length == next) {
            return new Route(Endpoint.V2_MODEL, s[0], version);
        }
        if (s.length == next + 1 && s[next].equals("ready")) {
            return new Route(Endpoint.V2_MODEL_READY, s[0], version);
        }
        if (s.length == next + 1 && s[next].equals("infer")) {
            return new Route(Endpoint.V2_INFER, s[0], version);
        }
        return OTHER;
    }

    private Response dispatch(Route route, String method, FullHttpRequest req, Predictor predictor) throws IOException {
        Endpoint e = route.endpoint;
        boolean post = e == Endpoint.PREDICT || e == Endpoint.INVOCATIONS || e == Endpoint.V2_INFER;
        if (e == Endpoint.OTHER) {
            throw new ApiException(404, "no endpoint " + method + " " + path(req.uri())
                    + "; try POST /predict, POST /invocations, POST /v2/models/" + model.name() + "/infer, GET /health");
        }
        String expected = post ? "POST" : "GET";
        if (!method.equals(expected) && !(method.equals("HEAD") && !post)) {
            return new Response(405, errorBody(e, 405, method + " is not allowed on " + e.label + "; use " + expected),
                    JSON, expected);
        }
        if (route.modelName != null) {
            checkModel(route);
        }
        switch (e) {
            case HEALTH: return new Response(200, healthBody);
            case READY: return ready ? new Response(200, readyBody) : new Response(503, notReadyBody());
            case PING: return new Response(200, bytes("\n"));
            case VERSION: return new Response(200, versionBody());
            case METRICS: return new Response(200, bytes(metrics.render(ready, guard.open())), PROMETHEUS, null);
            case V2_SERVER: return new Response(200, bytes("{\"name\":\"mlops-serve\",\"version\":"
                    + quote(SERVER_VERSION) + ",\"extensions\":[]}"));
            case V2_LIVE: return new Response(200, liveV2Body);
            case V2_READY: return new Response(ready ? 200 : 503, ready ? readyV2Body : notReadyV2Body);
            case V2_MODEL: return new Response(200, predictor.v2Metadata());
            case V2_MODEL_READY: return new Response(ready ? 200 : 503, bytes("{\"name\":" + quote(model.name())
                    + ",\"ready\":" + ready + "}"));
            default: break;
        }
        String media = checkContentType(req.headers().get(HttpHeaderNames.CONTENT_TYPE), e);
        int len = req.content().readableBytes();
        byte[] body = buffer(len);
        req.content().getBytes(req.content().readerIndex(), body, 0, len);
        byte[] out = switch (e) {
            case PREDICT -> predictor.predict(body, len);
            case INVOCATIONS -> media.equals(CSV) ? predictor.invocationsCsv(body, len) : predictor.invocations(body, len);
            default -> predictor.v2Infer(body, len);
        };
        return new Response(200, out);
    }

    private void checkModel(Route route) {
        if (!route.modelName.equals(model.name())) {
            throw new ApiException(404, "model '" + route.modelName + "' is not served here; this server serves '"
                    + model.name() + "' version '" + model.version() + "'");
        }
        if (route.modelVersion != null && !route.modelVersion.equals(model.version())) {
            throw new ApiException(404, "model '" + model.name() + "' version '" + route.modelVersion
                    + "' is not served here; this server serves version '" + model.version() + "'");
        }
    }

    /** This thread's body buffer, grown to {@code len}; a thread gives back a buffer above 64 KiB after use. */
    private byte[] buffer(int len) {
        byte[] buf = buffers.get();
        if (buf.length >= len) {
            return buf;
        }
        byte[] big = new byte[len];
        if (len <= KEEP_BUFFER) {
            buffers.set(big);
        }
        return big;
    }

    private static ApiException tooLarge(int max) {
        return new ApiException(413, "request body is larger than " + max + " bytes (--max-body-bytes)");
    }

    /** The body's media type, JSON or (on /invocations only, as MLflow's scoring server takes it) CSV; UTF-8 only. */
    private static String checkContentType(String type, Endpoint endpoint) {
        if (JSON.equals(type)) {
            return JSON; // what nearly every client sends: no splitting
        }
        String accepted = endpoint == Endpoint.INVOCATIONS ? "application/json or text/csv" : "application/json";
        if (type == null) {
            throw new ApiException(415, "missing Content-Type; send Content-Type: " + accepted);
        }
        String[] parts = type.split(";");
        String media = parts[0].trim().toLowerCase(Locale.ROOT);
        if (!media.equals(JSON) && !(media.equals(CSV) && endpoint == Endpoint.INVOCATIONS)) {
            throw new ApiException(415, "Content-Type " + parts[0].trim() + " is not supported; send " + accepted);
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().toLowerCase(Locale.ROOT);
            if (p.startsWith("charset=")) {
                String cs = p.substring("charset=".length()).replace("\"", "");
                if (!cs.equals("utf-8") && !cs.equals("utf8")) {
                    throw new ApiException(415, "charset " + cs + " is not supported; send UTF-8");
                }
            }
        }
        return media;
    }

    private Response error(Endpoint endpoint, int status, String message) {
        return new Response(status, errorBody(endpoint, status, message));
    }

    /** {"error": ...} everywhere (V2 style); /invocations adds MLflow's error_code and message. */
    private static byte[] errorBody(Endpoint endpoint, int status, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = Predictor.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("error", message);
            g.writeNumberField("status", status);
            if (endpoint == Endpoint.INVOCATIONS) {
                g.writeStringField("error_code", status >= 500 ? "INTERNAL_ERROR" : "BAD_REQUEST");
                g.writeStringField("message", message);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private byte[] notReadyBody() {
        return bytes("{\"ready\":false,\"reason\":" + quote(notReadyReason) + ",\"model_name\":" + quote(model.name())
                + ",\"model_version\":" + quote(model.version()) + "}");
    }

    private byte[] versionBody() {
        return bytes("{\"server\":" + quote("mlops-serve " + SERVER_VERSION) + ",\"model_name\":" + quote(model.name())
                + ",\"model_version\":" + quote(model.version()) + ",\"git_sha\":" + quote(model.gitSha())
                + ",\"model_sha256\":" + quote(model.sha256()) + "}");
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        String msg = e.getOriginalMessage();
        int nl = msg.indexOf('\n');
        if (nl > 0) {
            msg = msg.substring(0, nl);
        }
        return loc == null ? msg : msg + " (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
    }

    static String quote(String s) {
        try {
            return Predictor.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
