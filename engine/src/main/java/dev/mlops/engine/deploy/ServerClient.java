package dev.mlops.engine.deploy;

import java.net.URI;
import java.util.List;

/**
 * The model server's HTTP contract as the deployer sees it ({@code GET /health}, {@code GET /ready},
 * {@code POST /predict}). Never throws for a failed call: an unreachable server is status -1 with an error text.
 */
public interface ServerClient {

    /** GET {@code base + path}. */
    Reply get(URI base, String path);

    /** POST {@code {"instances": rows}} to {@code base/predict}. */
    Reply predict(URI base, List<List<Double>> rows);

    /**
     * One answer: HTTP status (-1 unreachable), the {@code X-Model-Version} header or body {@code model_version},
     * the {@code X-Model-Git-Sha} header, predictions as text (empty unless a predict call), latency, and an error
     * text when the call failed.
     */
    record Reply(int status, String modelVersion, String gitSha, List<String> predictions, long micros, String error) {
        public Reply {
            predictions = predictions == null ? List.of() : List.copyOf(predictions);
        }

        public boolean ok() {
            return status >= 200 && status < 300;
        }

        public String describe() {
            return status < 0 ? "unreachable (" + error + ")" : "HTTP " + status + (error == null ? "" : " " + error);
        }
    }
}
