package dev.mlops.serve;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request counts by endpoint and status, a latency histogram per endpoint, and predictions by class, rendered in
 * the Prometheus text format (0.0.4). Recording is lock-free and allocation-free after the first request of each
 * (endpoint, status) pair, so it can sit on the hot path.
 */
final class Metrics {
    /** Upper bounds in seconds; fine below 10 ms, where a healthy model server lives. */
    static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    private final Endpoint[] endpoints = Endpoint.values();
    private final AtomicReferenceArray<LongAdder>[] byStatus;
    private final LongAdder[][] histogram;
    private final LongAdder[] nanosSum;
    private final LongAdder[] predictions;
    private final LongAdder unlistedPredictions = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder[] closed = new LongAdder[ConnectionGuard.Closed.values().length];
    private final ServedModel model;

    @SuppressWarnings("unchecked")
    Metrics(ServedModel model) {
        this.model = model;
        int n = endpoints.length;
        byStatus = new AtomicReferenceArray[n];
        histogram = new LongAdder[n][BUCKETS.length + 1];
        nanosSum = new LongAdder[n];
        for (int i = 0; i < n; i++) {
            byStatus[i] = new AtomicReferenceArray<>(600);
            nanosSum[i] = new LongAdder();
            for (int b = 0; b <= BUCKETS.length; b++) {
                histogram[i][b] = new LongAdder();
            }
        }
        for (int i = 0; i < closed.length; i++) {
            closed[i] = new LongAdder();
        }
        predictions = new LongAdder[model.labels().size()];
        for (int i = 0; i < predictions.length; i++) {
            predictions[i] = new LongAdder();
        }
    }

    void request(Endpoint endpoint, int status, long nanos) {
        int e = endpoint.ordinal();
        int s = status >= 100 && status < 600 ? status : 599;
        LongAdder c = byStatus[e].get(s);
        if (c == null) {
            byStatus[e].compareAndSet(s, null, new LongAdder());
            c = byStatus[e].get(s);
        }
        c.increment();
        double seconds = nanos / 1e9;
        int b = 0;
        while (b < BUCKETS.length && seconds > BUCKETS[b]) {
            b++;
        }
        histogram[e][b].increment();
        nanosSum[e].add(nanos);
    }

    /** A prediction of the schema's {@code labelIndex}-th label. */
    void prediction(int labelIndex) {
        predictions[labelIndex].increment();
    }

    void prediction(String label) {
        int i = model.labelIndex(label);
        (i >= 0 ? predictions[i] : unlistedPredictions).increment();
    }

    void connectionClosed(ConnectionGuard.Closed reason) {
        closed[reason.ordinal()].increment();
    }

    void connectionRefused() {
        refused.increment();
    }

    long requests(Endpoint endpoint, int status) {
        LongAdder c = byStatus[endpoint.ordinal()].get(status);
        return c == null ? 0 : c.sum();
    }

    long predictions(String label) {
        int i = model.labelIndex(label);
        return i < 0 ? unlistedPredictions.sum() : predictions[i].sum();
    }

    /** @param openConnections connections held now, or -1 before the server listens */
    String render(boolean ready, int openConnections) {
        String mv = "model_name=\"" + esc(model.name()) + "\",model_version=\"" + esc(model.version()) + "\"";
        StringBuilder sb = new StringBuilder(8192);
        sb.append("# HELP mlops_model_info The model this server answers with; always 1.\n");
        sb.append("# TYPE mlops_model_info gauge\n");
        sb.append("mlops_model_info{").append(mv).append(",git_sha=\"").append(esc(model.gitSha()))
                .append("\",sha256=\"").append(esc(model.sha256())).append("\"} 1\n");
        sb.append("# HELP mlops_ready 1 when the server reports ready, 0 while warming up or draining.\n");
        sb.append("# TYPE mlops_ready gauge\n");
        sb.append("mlops_ready{").append(mv).append("} ").append(ready ? 1 : 0).append('\n');

        sb.append("# HELP mlops_http_requests_total HTTP requests by endpoint and status.\n");
        sb.append("# TYPE mlops_http_requests_total counter\n");
        for (Endpoint ep : endpoints) {
            for (int s = 0; s < 600; s++) {
                LongAdder c = byStatus[ep.ordinal()].get(s);
                if (c != null) {
                    sb.append("mlops_http_requests_total{").append(mv).append(",endpoint=\"").append(ep.label)
                            .append("\",status=\"").append(s).append("\"} ").append(c.sum()).append('\n');
                }
            }
        }
        sb.append("# HELP mlops_http_request_duration_seconds Time from handler start to response sent.\n");
        sb.append("# TYPE mlops_http_request_duration_seconds histogram\n");
        for (Endpoint ep : endpoints) {
            int e = ep.ordinal();
            long total = 0;
            for (int b = 0; b <= BUCKETS.length; b++) {
                total += histogram[e][b].sum();
            }
            if (total == 0) {
                continue;
            }
            String prefix = "mlops_http_request_duration_seconds_bucket{" + mv + ",endpoint=\"" + ep.label + "\",le=\"";
            long cumulative = 0;
            for (int b = 0; b < BUCKETS.length; b++) {
                cumulative += histogram[e][b].sum();
                sb.append(prefix).append(fmt(BUCKETS[b])).append("\"} ").append(cumulative).append('\n');
            }
            cumulative += histogram[e][BUCKETS.length].sum();
            sb.append(prefix).append("+Inf\"} ").append(cumulative).append('\n');
            sb.append("mlops_http_request_duration_seconds_sum{").append(mv).append(",endpoint=\"").append(ep.label)
                    .append("\"} ").append(fmt(nanosSum[e].sum() / 1e9)).append('\n');
            sb.append("mlops_http_request_duration_seconds_count{").append(mv).append(",endpoint=\"").append(ep.label)
                    .append("\"} ").append(cumulative).append('\n');
        }
        sb.append("# HELP mlops_predictions_total Rows predicted, by predicted class.\n");
        sb.append("# TYPE mlops_predictions_total counter\n");
        List<String> labels = model.labels();
        for (int i = 0; i < labels.size(); i++) {
            sb.append("mlops_predictions_total{").append(mv).append(",class=\"").append(esc(labels.get(i)))
                    .append("\"} ").append(predictions[i].sum()).append('\n');
        }
        sb.append("# HELP mlops_open_connections Client connections held now.\n");
        sb.append("# TYPE mlops_open_connections gauge\n");
        sb.append("mlops_open_connections ").append(Math.max(0, openConnections)).append('\n');
        sb.append("# HELP mlops_connections_refused_total Connections closed at once because the cap was reached and "
                + "every connection was busy.\n");
        sb.append("# TYPE mlops_connections_refused_total counter\n");
        sb.append("mlops_connections_refused_total ").append(refused.sum()).append('\n');
        sb.append("# HELP mlops_connections_closed_total Connections the server closed: idle, too slow to send "
                + "headers or body, displaced by a newcomer at the cap, or not reading responses.\n");
        sb.append("# TYPE mlops_connections_closed_total counter\n");
        for (ConnectionGuard.Closed r : ConnectionGuard.Closed.values()) {
            sb.append("mlops_connections_closed_total{reason=\"").append(r.label).append("\"} ")
                    .append(closed[r.ordinal()].sum()).append('\n');
        }
        Runtime rt = Runtime.getRuntime();
        sb.append("# HELP mlops_jvm_heap_used_bytes JVM heap in use (includes garbage not yet collected).\n");
        sb.append("# TYPE mlops_jvm_heap_used_bytes gauge\n");
        sb.append("mlops_jvm_heap_used_bytes ").append(rt.totalMemory() - rt.freeMemory()).append('\n');
        return sb.toString();
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%s", d);
    }

    /** Label values escape backslash, quote and newline (Prometheus text format). */
    static String esc(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** Endpoints as metric labels: route templates, never raw paths, so label cardinality stays bounded. */
    enum Endpoint {
        HEALTH("/health"), READY("/ready"), PREDICT("/predict"), INVOCATIONS("/invocations"), PING("/ping"),
        VERSION("/version"), METRICS("/metrics"), V2_SERVER("/v2"), V2_LIVE("/v2/health/live"),
        V2_READY("/v2/health/ready"), V2_MODEL("/v2/models/{name}"), V2_MODEL_READY("/v2/models/{name}/ready"),
        V2_INFER("/v2/models/{name}/infer"), OTHER("other");

        final String label;

        Endpoint(String label) {
            this.label = label;
        }
    }
}
