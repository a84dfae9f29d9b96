package dev.mlops.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.engine.Log;
import dev.mlops.engine.model.ModelArtifact;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The endpoints of one server over real HTTP. The model is the engine fixture (label "pos" iff x0 + x1 > 0), so
 * clear-cut rows have known answers independent of the code under test.
 */
class ModelServerTest {
    static ModelServer server;
    static Http http;

    static final String POS = "[3.0, 2.5, 0.1]";
    static final String NEG = "[-3.0, -2.0, 0.4]";

    @BeforeAll
    static void start() throws Exception {
        ServedModel model = new ServedModel(ModelArtifact.load(Models.linear()), null, "7", "test");
        server = new ModelServer(model, ServeConfig.forTests().withLimits(4096, 5), Log.NONE).start();
        http = new Http(server.port());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static void assertIdentity(Http.Reply r) {
        assertThat(r.header("X-Model-Version")).as("X-Model-Version on " + r.status()).isEqualTo("7");
        assertThat(r.header("X-Model-Git-Sha")).as("X-Model-Git-Sha on " + r.status()).isEqualTo("abc1234");
        assertThat(r.header("X-Model-Name")).isEqualTo("demo");
    }

    /** A 4xx whose JSON names the problem, with the identity headers and nothing that looks like a stack trace. */
    static JsonNode assertError(Http.Reply r, int status, String... mentions) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertIdentity(r);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("dev.mlops");
        JsonNode j = r.json();
        for (String m : mentions) {
            assertThat(j.path("error").asText()).contains(m);
        }
        return j;
    }

    // ------------------------------------------------------------------ /predict

    @Test
    void singleRowGivesLabelProbabilitiesAndIdentity() {
        Http.Reply r = http.post("/predict", "{\"features\": " + POS + "}");
        assertThat(r.status()).isEqualTo(200);
        assertIdentity(r);
        JsonNode j = r.json();
        assertThat(j.get("prediction").asText()).isEqualTo("pos");
        assertThat(j.get("model_name").asText()).isEqualTo("demo");
        assertThat(j.get("model_version").asText()).isEqualTo("7");
        JsonNode p = j.get("probabilities");
        assertThat(p.size()).isEqualTo(2);
        assertThat(p.get("pos").asDouble()).isGreaterThan(0.9);
        assertThat(p.get("neg").asDouble() + p.get("pos").asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(http.post("/predict", "{\"features\": " + NEG + "}").json().get("prediction").asText()).isEqualTo("neg");
    }

    @Test
    void theFastPathAndTheGeneralParserAgree() {
        // Same row; the second spelling (exponents, odd spacing, integers) is not the fast path's exact shape.
        JsonNode a = http.post("/predict", "{\"features\":[1.5,-0.25,2]}").json();
        JsonNode b = http.post("/predict", "{ \"features\" : [ 15e-1 , -0.25E0 , 2.0 ] , \"x\":1 }").json();
        assertThat(b.path("error").asText()).contains("got 'features' and 'x'");
        JsonNode c = http.post("/predict", "{ \"features\" : [ 15e-1 , -0.25E0 , 2.0 ] }").json();
        assertThat(c.get("probabilities")).isEqualTo(a.get("probabilities"));
    }

    @Test
    void batchOfInstancesKeepsRowOrder() {
        Http.Reply r = http.post("/predict", "{\"instances\": [" + POS + "," + NEG + "," + POS + "]}");
        assertThat(r.status()).isEqualTo(200);
        assertIdentity(r);
        JsonNode j = r.json();
        assertThat(j.get("predictions")).hasSize(3);
        assertThat(j.get("predictions").get(0).asText()).isEqualTo("pos");
        assertThat(j.get("predictions").get(1).asText()).isEqualTo("neg");
        assertThat(j.get("predictions").get(2).asText()).isEqualTo("pos");
        assertThat(j.get("probabilities")).hasSize(3);
        assertThat(j.get("probabilities").get(1).get("neg").asDouble()).isGreaterThan(0.9);
        assertThat(j.get("model_name").asText()).isEqualTo("demo");
        assertThat(j.get("model_version").asText()).isEqualTo("7");
    }

    @Test
    void namedInputsGiveTheSameAnswerAsPositionalFeatures() {
        JsonNode named = http.post("/predict", "{\"inputs\": {\"x2\": 0.1, \"x0\": 3.0, \"x1\": 2.5}}").json();
        JsonNode positional = http.post("/predict", "{\"features\": " + POS + "}").json();
        assertThat(named).isEqualTo(positional);
        JsonNode rows = http.post("/predict", "{\"instances\": [{\"x0\": -3, \"x1\": -2, \"x2\": 0.4}]}").json();
        assertThat(rows.get("predictions").get(0).asText()).isEqualTo("neg");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "wrong feature count|{\"features\": [1, 2]}|expected 3 features",
            "too many features|{\"features\": [1, 2, 3, 4]}|got 4",
            "unknown feature name|{\"inputs\": {\"x0\": 1, \"x1\": 2, \"x2\": 3, \"x9\": 4}}|unknown feature 'x9'",
            "missing feature name|{\"inputs\": {\"x0\": 1, \"x1\": 2}}|missing feature 'x2'",
            "string value|{\"features\": [1, \"abc\", 3]}|feature 'x1' must be a number",
            "numeric string|{\"features\": [1, \"2.5\", 3]}|feature 'x1' must be a number",
            "named string value|{\"inputs\": {\"x0\": 1, \"x1\": \"a\", \"x2\": 3}}|feature 'x1' must be a number",
            "null value|{\"features\": [1, null, 3]}|feature 'x1' is null",
            "NaN literal (JSON has none; we do not accept it)|{\"features\": [NaN, 1, 2]}|NaN",
            "overflow to infinity|{\"features\": [1e400, 1, 2]}|not a finite number",
            "nested array|{\"features\": [[1], 2, 3]}|must be a number",
            "malformed JSON|{\"features\": [1, 2|malformed JSON",
            "trailing garbage|{\"features\": [1, 2, 3]} x|malformed JSON",
            "not an object|[1, 2, 3]|must be a JSON object",
            "empty body||must be a JSON object",
            "unknown field|{\"rows\": [[1, 2, 3]]}|unknown field 'rows'",
            "two forms at once|{\"features\": [1, 2, 3], \"instances\": [[1, 2, 3]]}|only one of",
            "empty batch|{\"instances\": []}|empty",
            "bad row in a batch|{\"instances\": [[1, 2, 3], [1, 2]]}|instances[1]: expected 3 features",
            "scalar row in a batch|{\"instances\": [1, 2, 3]}|instances[0] must be an array",
            "duplicate key|{\"inputs\": {\"x0\": 1, \"x0\": 2, \"x1\": 3, \"x2\": 4}}|Duplicate field 'x0'",
    })
    void badRequestsAre400WithAMessageNamingTheProblem(String what, String body, String mention) {
        assertError(http.post("/predict", body == null ? "" : body), 400, mention);
    }

    @Test
    void wrongContentTypeIs415() {
        assertError(http.post("/predict", "{\"features\": " + POS + "}", "text/plain"), 415, "text/plain");
        assertError(http.post("/predict", "{\"features\": " + POS + "}", null), 415, "Content-Type");
        assertError(http.post("/predict", "{\"features\": " + POS + "}", "application/json; charset=ISO-8859-1"), 415,
                "charset");
        assertThat(http.post("/predict", "{\"features\": " + POS + "}", "application/json; charset=UTF-8").status())
                .isEqualTo(200);
    }

    @Test
    void bodyOverTheLimitIs413FromContentLength() {
        String big = "{\"features\": [" + "1.0,".repeat(2000) + "1.0]}";
        assertError(http.post("/predict", big), 413, "larger than 4096 bytes");
    }

    @Test
    void bodyOverTheLimitIs413WhileReadingAChunkedBody() throws Exception {
        String chunk = "{\"features\": [" + "1.0,".repeat(2000) + "1.0]}";
        String response = Http.raw(server.port(), "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 413").contains("larger than 4096 bytes").containsIgnoringCase("X-Model-Version: 7");
    }

    /** Issue 9 item 3: the 413 a client gets before sending its body is the same JSON as every other 413. */
    @Test
    void bodyOverTheLimitAnnouncedWithExpectContinueIsTheJson413() throws Exception {
        String response = Http.raw(server.port(), "POST /invocations HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Expect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
        assertThat(response).startsWith("HTTP/1.1 413").containsIgnoringCase("X-Model-Version: 7")
                .containsIgnoringCase("content-type: application/json").containsIgnoringCase("connection: close");
        JsonNode j = Http.JSON.readTree(response.substring(response.indexOf("\r\n\r\n") + 4));
        assertThat(j.get("status").asInt()).isEqualTo(413);
        assertThat(j.get("error").asText()).contains("larger than 4096 bytes");
        assertThat(j.get("error_code").asText()).isEqualTo("BAD_REQUEST");
        // Within the limit, the client is told to go on and is answered.
        String body = "{\"features\": " + POS + "}";
        String ok = Http.raw(server.port(), "POST /predict HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Expect: 100-continue\r\nConnection: close\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);
        assertThat(ok).startsWith("HTTP/1.1 100 Continue").contains("HTTP/1.1 200").contains("\"prediction\":\"pos\"");
    }

    @Test
    void tooManyRowsIs413() {
        String rows = String.join(",", java.util.Collections.nCopies(6, POS));
        assertError(http.post("/predict", "{\"instances\": [" + rows + "]}"), 413, "at most 5");
        assertError(http.post("/invocations", "{\"instances\": [" + rows + "]}"), 413, "at most 5");
        assertThat(http.post("/predict", "{\"instances\": [" + String.join(",", java.util.Collections.nCopies(5, POS)) + "]}")
                .status()).isEqualTo(200);
    }

    @Test
    void wrongMethodIs405AndUnknownPathIs404() {
        Http.Reply r = http.get("/predict");
        assertError(r, 405, "use POST");
        assertThat(r.header("Allow")).isEqualTo("POST");
        assertError(http.post("/health", "{}"), 405, "use GET");
        assertError(http.get("/nope"), 404, "no endpoint GET /nope");
    }

    // ------------------------------------------------------------------ health, version, MLflow

    @Test
    void healthReadyPingVersion() {
        Http.Reply health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertIdentity(health);
        assertThat(health.json().get("status").asText()).isEqualTo("ok");
        Http.Reply ready = http.get("/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().get("ready").asBoolean()).isTrue();
        assertThat(ready.json().get("model_version").asText()).isEqualTo("7");
        assertThat(http.get("/ping").status()).isEqualTo(200);
        JsonNode v = http.get("/version").json();
        assertThat(v.get("model_version").asText()).isEqualTo("7");
        assertThat(v.get("git_sha").asText()).isEqualTo("abc1234");
        assertThat(v.get("model_sha256").asText()).isEqualTo(server.model().sha256()).hasSize(64);
    }

    @Test
    void invocationsAcceptsTheFourMlflowForms() {
        String[] bodies = {
                "{\"dataframe_split\": {\"columns\": [\"x2\", \"x1\", \"x0\"], \"data\": [[0.1, 2.5, 3.0], [0.4, -2.0, -3.0]]}}",
                "{\"dataframe_split\": {\"data\": [" + POS + ", " + NEG + "]}}",
                "{\"dataframe_records\": [{\"x0\": 3.0, \"x1\": 2.5, \"x2\": 0.1}, {\"x0\": -3.0, \"x1\": -2.0, \"x2\": 0.4}]}",
                "{\"instances\": [" + POS + ", " + NEG + "]}",
                "{\"inputs\": {\"x0\": [3.0, -3.0], \"x1\": [2.5, -2.0], \"x2\": [0.1, 0.4]}}",
                "{\"inputs\": [" + POS + ", " + NEG + "], \"params\": {}}",
        };
        for (String body : bodies) {
            Http.Reply r = http.post("/invocations", body);
            assertThat(r.status()).as(body + " -> " + r.body()).isEqualTo(200);
            assertIdentity(r);
            assertThat(r.json().get("predictions").toString()).as(body).isEqualTo("[\"pos\",\"neg\"]");
        }
    }

    @Test
    void invocationsErrorsUseMlflowFieldsToo() {
        JsonNode j = assertError(http.post("/invocations", "{\"instances\": [" + POS + "], \"inputs\": [" + POS + "]}"),
                400, "exactly one of");
        assertThat(j.get("error_code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(j.get("message").asText()).isEqualTo(j.get("error").asText());
        assertError(http.post("/invocations", "{\"dataframe_split\": {\"columns\": [\"x0\", \"x1\", \"zz\"], \"data\": [[1, 2, 3]]}}"),
                400, "unknown feature 'zz'");
        assertError(http.post("/invocations", "{\"inputs\": {\"x0\": [1, 2], \"x1\": [1], \"x2\": [1, 2]}}"), 400,
                "different lengths");
    }

    // ------------------------------------------------------------------ MLflow text/csv (issue 9 item 3)

    static final String CSV = "text/csv";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            header row, as pandas' to_csv(index=False) writes it | x0,x1,x2\\n3.0,2.5,0.1\\n-3.0,-2.0,0.4\\n
            header in another order                             | x2,x1,x0\\n0.1,2.5,3.0\\n0.4,-2,-3\\n
            no header: columns in the model's input order        | 3.0,2.5,0.1\\n-3,-2,0.4
            pandas' index column (to_csv() default)              | ,x0,x1,x2\\n0,3.0,2.5,0.1\\n1,-3.0,-2.0,0.4\\n
            quoted fields, CRLF, blank last line, exponents      | "x0","x1","x2"\\r\\n"3.0",25e-1,0.1\\r\\n-3.0,-2.0,+0.4\\r\\n\\r\\n
            """)
    void invocationsAcceptsCsvLikeMlflow(String what, String body) {
        Http.Reply r = http.post("/invocations", body.replace("\\n", "\n").replace("\\r", "\r"), CSV);
        assertThat(r.status()).as(what + ": " + r.body()).isEqualTo(200);
        assertIdentity(r);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.json().get("predictions").toString()).isEqualTo("[\"pos\",\"neg\"]");
        assertThat(http.post("/invocations", body.replace("\\n", "\n").replace("\\r", "\r"), CSV + "; charset=utf-8")
                .status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            text in a numeric column  | x0,x1,x2\\n3.0,abc,0.1\\n     | row 1 (line 2), column 'x1': 'abc' is not a number
            NaN is not a value        | x0,x1,x2\\n3.0,NaN,0.1\\n     | 'NaN' is not a number
            overflow to infinity      | 1e999,1,1\\n                  | row 1 (line 1), column 'x0': '1e999' is not a finite number
            empty cell                | x0,x1,x2\\n3.0,,0.1\\n        | row 1 (line 2), column 'x1' is empty
            too few values            | x0,x1,x2\\n3.0,2.5\\n         | row 1 (line 2) has 2 values, expected 3
            too many values, no header| 1,2,3,4\\n                    | row 1 (line 1) has 4 values, expected 3
            unknown header column     | x0,x1,zz\\n1,2,3\\n           | unknown column 'zz'
            missing header column     | x0,x1\\n1,2\\n                | missing column 'x2'
            duplicate header column   | x0,x1,x1\\n1,2,3\\n           | column 'x1' appears twice
            header only               | x0,x1,x2\\n                   | no rows
            empty body                | \\n                           | no rows
            unclosed quote            | x0,x1,x2\\n"3.0,1,2\\n        | malformed CSV
            """)
    void badCsvIs400NamingRowAndColumn(String what, String body, String mention) {
        JsonNode j = assertError(http.post("/invocations", body.replace("\\n", "\n"), CSV), 400, mention);
        assertThat(j.get("error_code").asText()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void csvHasTheSameLimitsAsJson() {
        String rows = String.join("\n", java.util.Collections.nCopies(6, "3.0,2.5,0.1"));
        assertError(http.post("/invocations", "x0,x1,x2\n" + rows, CSV), 413, "at most 5");
        assertThat(http.post("/invocations", "x0,x1,x2\n" + rows.substring(12), CSV).status()).isEqualTo(200);
        assertError(http.post("/invocations", "1.0,".repeat(1200) + "1\n", CSV), 413, "larger than 4096 bytes");
        assertError(http.post("/invocations", "3.0,2.5,0.1\n", CSV + "; charset=latin1"), 415, "charset");
        assertError(http.post("/predict", "3.0,2.5,0.1\n", CSV), 415, "application/json");
    }

    // ------------------------------------------------------------------ Open Inference Protocol V2

    @Test
    void v2HealthAndServerMetadata() {
        assertThat(http.get("/v2/health/live").status()).isEqualTo(200);
        assertThat(http.get("/v2/health/live").json().get("live").asBoolean()).isTrue();
        assertThat(http.get("/v2/health/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/demo/ready").status()).isEqualTo(200);
        assertThat(http.get("/v2/models/demo/versions/7/ready").json().get("ready").asBoolean()).isTrue();
        JsonNode s = http.get("/v2").json();
        assertThat(s.get("name").asText()).isEqualTo("mlops-serve");
        assertThat(s.get("version").isTextual()).isTrue();
        assertThat(s.get("extensions").isArray()).isTrue();
    }

    @Test
    void v2ModelMetadataFieldByField() {
        JsonNode m = http.get("/v2/models/demo").json();
        assertThat(m.get("name").asText()).isEqualTo("demo");
        assertThat(m.get("versions").toString()).isEqualTo("[\"7\"]");
        assertThat(m.get("platform").asText()).isEqualTo("tribuo");
        assertThat(m.get("inputs")).hasSize(3);
        for (int i = 0; i < 3; i++) {
            JsonNode in = m.get("inputs").get(i);
            assertThat(in.get("name").asText()).isEqualTo("x" + i);
            assertThat(in.get("datatype").asText()).isEqualTo("FP64");
            assertThat(in.get("shape").toString()).isEqualTo("[-1]");
        }
        assertThat(m.get("outputs")).hasSize(2);
        assertThat(m.get("outputs").get(0).get("name").asText()).isEqualTo("predict");
        assertThat(m.get("outputs").get(0).get("datatype").asText()).isEqualTo("BYTES");
        assertThat(m.get("outputs").get(0).get("shape").toString()).isEqualTo("[-1]");
        assertThat(m.get("outputs").get(1).get("name").asText()).isEqualTo("probabilities");
        assertThat(m.get("outputs").get(1).get("datatype").asText()).isEqualTo("FP64");
        assertThat(m.get("outputs").get(1).get("shape").toString()).isEqualTo("[-1,2]");
        assertThat(http.get("/v2/models/demo/versions/7").status()).isEqualTo(200);
    }

    @Test
    void v2InferWithOneTensorFieldByField() {
        String body = "{\"id\": \"req-42\", \"inputs\": [{\"name\": \"input-0\", \"shape\": [2, 3], \"datatype\": \"FP64\","
                + " \"data\": [" + POS + ", " + NEG + "]}]}";
        Http.Reply r = http.post("/v2/models/demo/infer", body);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertIdentity(r);
        JsonNode j = r.json();
        assertThat(j.get("model_name").asText()).isEqualTo("demo");
        assertThat(j.get("model_version").asText()).isEqualTo("7");
        assertThat(j.get("id").asText()).isEqualTo("req-42");
        JsonNode out = j.get("outputs");
        assertThat(out).hasSize(2);
        JsonNode label = out.get(0);
        assertThat(label.get("name").asText()).isEqualTo("predict");
        assertThat(label.get("datatype").asText()).isEqualTo("BYTES");
        assertThat(label.get("shape").toString()).isEqualTo("[2]");
        assertThat(label.get("data").toString()).isEqualTo("[\"pos\",\"neg\"]");
        JsonNode probs = out.get(1);
        assertThat(probs.get("name").asText()).isEqualTo("probabilities");
        assertThat(probs.get("datatype").asText()).isEqualTo("FP64");
        assertThat(probs.get("shape").toString()).isEqualTo("[2,2]");
        assertThat(probs.get("parameters").get("labels").asText()).isEqualTo("neg,pos");
        JsonNode d = probs.get("data");
        assertThat(d).hasSize(4);
        assertThat(d.get(1).asDouble()).as("row 0, class pos").isGreaterThan(0.9);
        assertThat(d.get(2).asDouble()).as("row 1, class neg").isGreaterThan(0.9);
        assertThat(d.get(0).asDouble() + d.get(1).asDouble()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void v2InferWithOneInputPerFeatureFlatDataAndOutputFilter() {
        String body = "{\"inputs\": ["
                + "{\"name\": \"x0\", \"shape\": [2], \"datatype\": \"FP32\", \"data\": [3.0, -3.0]},"
                + "{\"name\": \"x1\", \"shape\": [2, 1], \"datatype\": \"FP64\", \"data\": [[2.5], [-2.0]]},"
                + "{\"name\": \"x2\", \"shape\": [2], \"datatype\": \"INT32\", \"data\": [0, 1]}],"
                + " \"outputs\": [{\"name\": \"predict\"}]}";
        JsonNode j = http.post("/v2/models/demo/versions/7/infer", body).json();
        assertThat(j.has("id")).isFalse();
        assertThat(j.get("outputs")).hasSize(1);
        assertThat(j.get("outputs").get(0).get("data").toString()).isEqualTo("[\"pos\",\"neg\"]");
        // A flat row-major tensor is the same as a nested one.
        JsonNode flat = http.post("/v2/models/demo/infer", "{\"inputs\": [{\"name\": \"t\", \"shape\": [2, 3],"
                + " \"datatype\": \"FP64\", \"data\": [3.0, 2.5, 0.1, -3.0, -2.0, 0.4]}]}").json();
        assertThat(flat.get("outputs").get(0).get("data").toString()).isEqualTo("[\"pos\",\"neg\"]");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no inputs|{\"inputs\": []}|non-empty array",
            "shape and data disagree|{\"inputs\": [{\"name\": \"t\", \"shape\": [2, 3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}|needs 6 values, data has 3",
            "wrong width|{\"inputs\": [{\"name\": \"t\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [1, 2]}]}|expected [rows, 3]",
            "bool datatype|{\"inputs\": [{\"name\": \"t\", \"shape\": [3], \"datatype\": \"BOOL\", \"data\": [true, false, true]}]}|BOOL",
            "unknown datatype|{\"inputs\": [{\"name\": \"t\", \"shape\": [3], \"datatype\": \"FLOAT\", \"data\": [1, 2, 3]}]}|unknown datatype 'FLOAT'",
            "text in a numeric tensor|{\"inputs\": [{\"name\": \"t\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, \"a\", 3]}]}|feature 'x1' must be a number",
            "missing feature column|{\"inputs\": [{\"name\": \"x0\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}, {\"name\": \"x1\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [1]}]}|missing feature 'x2'",
            "unknown output|{\"inputs\": [{\"name\": \"t\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}], \"outputs\": [{\"name\": \"logits\"}]}|unknown output 'logits'",
            "numeric id|{\"id\": 5, \"inputs\": [{\"name\": \"t\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}|'id' must be a string",
    })
    void v2BadRequestsAre400(String what, String body, String mention) {
        assertError(http.post("/v2/models/demo/infer", body), 400, mention);
    }

    @Test
    void v2UnknownModelOrVersionIs404() {
        String body = "{\"inputs\": [{\"name\": \"t\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}]}";
        assertError(http.post("/v2/models/other/infer", body), 404, "model 'other' is not served here");
        assertError(http.post("/v2/models/demo/versions/8/infer", body), 404, "version '8'");
        assertError(http.get("/v2/models/other"), 404, "'demo'");
    }

    // ------------------------------------------------------------------ headers everywhere

    @Test
    void everyResponseCarriesModelVersionAndGitSha() throws Exception {
        List<Http.Reply> replies = new ArrayList<>();
        for (String path : List.of("/health", "/ready", "/ping", "/version", "/metrics", "/v2", "/v2/health/live",
                "/v2/health/ready", "/v2/models/demo", "/v2/models/demo/ready", "/nope", "/predict")) {
            replies.add(http.get(path));
        }
        replies.add(http.post("/predict", "{\"features\": " + POS + "}"));
        replies.add(http.post("/predict", "{bad"));
        replies.add(http.post("/predict", "{}", "text/plain"));
        replies.add(http.post("/invocations", "{\"instances\": [" + POS + "]}"));
        replies.add(http.post("/v2/models/demo/infer", "{}"));
        replies.add(http.method("DELETE", "/predict"));
        for (Http.Reply r : replies) {
            assertIdentity(r);
        }
        assertThat(Http.raw(server.port(), "HEAD /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .startsWith("HTTP/1.1 200").containsIgnoringCase("X-Model-Git-Sha: abc1234");
    }
}
