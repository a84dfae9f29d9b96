package dev.mlops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A model with a categorical input (label "pos" iff color is red) goes through the general, non-fast path. */
class CategoricalModelTest {
    static ModelServer server;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        server = new ModelServer(ServedModel.of(ModelArtifact.load(Models.categorical()), "test"), ServeConfig.forTests(),
                Log.NONE).start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void acceptsStringsForCategoricalInputsInEveryForm() {
        assertThat(http.post("/predict", "{\"features\": [0.0, \"red\"]}").json().get("prediction").asText()).isEqualTo("pos");
        assertThat(http.post("/predict", "{\"inputs\": {\"x0\": 0.0, \"color\": \"blue\"}}").json().get("prediction").asText())
                .isEqualTo("neg");
        assertThat(http.post("/predict", "{\"instances\": [[0, \"red\"], {\"x0\": 0, \"color\": \"blue\"}]}").json()
                .get("predictions").toString()).isEqualTo("[\"pos\",\"neg\"]");
        String v2 = "{\"inputs\": [{\"name\": \"x0\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [0, 0]},"
                + "{\"name\": \"color\", \"shape\": [2], \"datatype\": \"BYTES\", \"data\": [\"blue\", \"red\"]}]}";
        assertThat(http.post("/v2/models/colors/infer", v2).json().get("outputs").get(0).get("data").toString())
                .isEqualTo("[\"neg\",\"pos\"]");
    }

    @Test
    void identityComesFromTheSchemaAndChecksumWhenNotOverridden() {
        Http.Reply r = http.get("/health");
        assertThat(r.header("X-Model-Version")).isEqualTo(server.model().sha256().substring(0, 12));
        assertThat(r.header("X-Model-Git-Sha")).isEqualTo("def5678");
        assertThat(r.json().get("model_name").asText()).isEqualTo("colors");
    }

    @Test
    void rejectsUnknownCategoriesAndWrongTypes() {
        JsonNode e = http.post("/predict", "{\"features\": [0.0, \"green\"]}").json();
        assertThat(e.get("status").asInt()).isEqualTo(400);
        assertThat(e.get("error").asText()).contains("unknown category 'green'");
        assertThat(http.post("/predict", "{\"features\": [\"0.0\", \"red\"]}").json().get("error").asText())
                .contains("feature 'x0' must be a number");
        assertThat(http.post("/v2/models/colors/infer", "{\"inputs\": [{\"name\": \"t\", \"shape\": [1, 2], \"datatype\": "
                + "\"FP64\", \"data\": [0, 1]}]}").json().get("error").asText()).contains("categorical");
        assertThat(http.post("/v2/models/colors/infer", "{\"inputs\": [{\"name\": \"x0\", \"shape\": [1], \"datatype\": \"FP64\","
                + " \"data\": [0]}, {\"name\": \"color\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}")
                .json().get("error").asText()).contains("BYTES");
        JsonNode meta = http.get("/v2/models/colors").json();
        assertThat(meta.get("inputs").get(1).get("datatype").asText()).isEqualTo("BYTES");
    }

    @Test
    void csvCarriesCategoriesAsTextQuotedOrNot() {
        Http.Reply r = http.post("/invocations", "color,x0\n\"red\",0.0\nblue,0\n", "text/csv");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("predictions").toString()).isEqualTo("[\"pos\",\"neg\"]");
        assertThat(http.post("/invocations", "0.0,red\n", "text/csv").json().get("predictions").toString())
                .isEqualTo("[\"pos\"]");
        Http.Reply bad = http.post("/invocations", "x0,color\n0,green\n", "text/csv");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("error").asText()).contains("row 1 (line 2)").contains("unknown category 'green'");
    }
}
