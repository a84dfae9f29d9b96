package dev.mlops.serve;

import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {

    @Test
    void countsRequestsByEndpointAndStatusPredictionsByClassAndLatency() throws Exception {
        ServedModel model = new ServedModel(ModelArtifact.load(Models.linear()), null, "7", "test");
        ModelServer server = new ModelServer(model, ServeConfig.forTests(), Log.NONE).start();
        try {
            Http http = new Http(server.port());
            http.post("/predict", "{\"features\": [3, 2, 0]}");
            http.post("/predict", "{\"features\": [2, 3, 0]}");
            http.post("/predict", "{\"features\": [-3, -2, 0]}");
            http.post("/predict", "{\"instances\": [[3, 2, 0], [-3, -2, 0]]}");
            http.post("/predict", "{\"features\": [1]}");
            http.post("/predict", "nope");
            http.get("/nope");
            http.get("/health");

            Http.Reply r = http.get("/metrics");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.header("Content-Type")).startsWith("text/plain; version=0.0.4");
            String text = r.body();
            String id = "model_name=\"demo\",model_version=\"7\"";
            assertThat(value(text, "mlops_http_requests_total{" + id + ",endpoint=\"/predict\",status=\"200\"}")).isEqualTo(4);
            assertThat(value(text, "mlops_http_requests_total{" + id + ",endpoint=\"/predict\",status=\"400\"}")).isEqualTo(2);
            assertThat(value(text, "mlops_http_requests_total{" + id + ",endpoint=\"other\",status=\"404\"}")).isEqualTo(1);
            assertThat(value(text, "mlops_http_requests_total{" + id + ",endpoint=\"/health\",status=\"200\"}")).isEqualTo(1);
            // Warm-up ran 50 synthetic requests; they are not counted.
            assertThat(value(text, "mlops_predictions_total{" + id + ",class=\"pos\"}")).isEqualTo(3);
            assertThat(value(text, "mlops_predictions_total{" + id + ",class=\"neg\"}")).isEqualTo(2);
            assertThat(value(text, "mlops_http_request_duration_seconds_count{" + id + ",endpoint=\"/predict\"}")).isEqualTo(6);
            assertThat(value(text, "mlops_http_request_duration_seconds_bucket{" + id + ",endpoint=\"/predict\",le=\"+Inf\"}"))
                    .isEqualTo(6);
            List<Double> buckets = new ArrayList<>();
            Matcher m = Pattern.compile("mlops_http_request_duration_seconds_bucket\\{[^}]*endpoint=\"/predict\",le=\"[^\"]+\"} (\\S+)")
                    .matcher(text);
            while (m.find()) {
                buckets.add(Double.parseDouble(m.group(1)));
            }
            assertThat(buckets).hasSize(Metrics.BUCKETS.length + 1).isSorted();
            assertThat(text).contains("mlops_model_info{" + id + ",git_sha=\"abc1234\",sha256=\"" + model.sha256() + "\"} 1");
            assertThat(text).contains("mlops_ready{" + id + "} 1");
            assertThat(text).contains("# TYPE mlops_http_request_duration_seconds histogram");
        } finally {
            server.stop();
        }
    }

    private static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1));
            }
        }
        throw new AssertionError("no series " + series + " in\n" + text);
    }
}
