package dev.mlops.serve;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.engine.model.FeatureException;
import dev.mlops.engine.model.Scored;
import org.tribuo.Example;
import org.tribuo.classification.Label;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies in, response bodies out, with no HTTP in between, so warm-up can run the exact code requests run.
 * {@code /predict} is parsed with Jackson's streaming parser: a numeric row goes straight into a {@code double[]}
 * without building a tree. The other protocols (MLflow, V2) read a tree; they are for compatibility, not the hot path.
 * JSON is strict: no NaN/Infinity literals, no duplicate keys, no trailing content.
 */
final class Predictor {
    /** Fast double parsing and writing: with 30 numbers in and a few out, the JDK's conversions dominated the request. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION, StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .build();

    private static final String PREDICT_FORMS =
            "send one of 'features' (one row), 'instances' (a list of rows) or 'inputs' (an object of named features)";

    private final ServedModel model;
    private final int maxBatch;
    private final Metrics metrics;

    private final CsvRows csv;
    private final String[] labelsJson;
    private final byte[][] labelsBytes;
    private final byte[] identityBytes;

    Predictor(ServedModel model, int maxBatch, Metrics metrics) {
        this.model = model;
        this.maxBatch = maxBatch;
        this.metrics = metrics;
        this.csv = new CsvRows(model, maxBatch);
        this.labelsJson = model.labels().stream().map(ModelServer::quote).toArray(String[]::new);
        this.labelsBytes = java.util.Arrays.stream(labelsJson).map(l -> l.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new);
        this.identityBytes = (",\"model_name\":" + ModelServer.quote(model.name()) + ",\"model_version\":"
                + ModelServer.quote(model.version()) + "}").getBytes(StandardCharsets.UTF_8);
        int room = PREDICTION.length + PROBABILITIES.length + identityBytes.length + 2;
        for (byte[] l : labelsBytes) {
            room += 2 * l.length + 2 + 32; // as the prediction and as a key, a colon, a comma, a number (at most 24)
        }
        int size = room;
        this.out = new PerThread<>(() -> new byte[size]);
    }

    // ---------------------------------------------------------------- /predict

    byte[] predict(byte[] body, int len) throws IOException {
        if (model.allNumeric()) {
            double[] v = new double[model.inputNames().length];
            if (FastRow.parse(body, len, v)) {
                LinearScorer scorer = model.scorer();
                if (scorer != null && finite(v)) {
                    double[] p = new double[scorer.classes()];
                    int li = scorer.score(v, p);
                    if (li >= 0) {
                        metrics.prediction(li);
                        return single(li, null, p);
                    }
                }
                return single(score(featurize("features", () -> model.featurizer().fromNumbers(v))));
            }
        }
        try (JsonParser p = MAPPER.createParser(body, 0, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME) {
                throw ApiException.badRequest("the body must be a JSON object; " + PREDICT_FORMS);
            }
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "features" -> {
                    Example<Label> row = row(p, "features");
                    onlyField(p, field);
                    return single(score(row));
                }
                case "inputs" -> {
                    if (value != JsonToken.START_OBJECT) {
                        throw ApiException.badRequest("'inputs' must be an object of feature name to value");
                    }
                    Example<Label> row = named(p, "inputs");
                    onlyField(p, field);
                    return single(score(row));
                }
                case "instances" -> {
                    List<Example<Label>> rows = rows(p, "instances");
                    onlyField(p, field);
                    return batch(rows);
                }
                default -> throw ApiException.badRequest("unknown field '" + field + "'; " + PREDICT_FORMS);
            }
        }
    }

    private static void onlyField(JsonParser p, String field) throws IOException {
        JsonToken t = p.nextToken();
        if (t == JsonToken.FIELD_NAME) {
            throw ApiException.badRequest("send only one of 'features', 'instances' or 'inputs'; got '" + field
                    + "' and '" + p.currentName() + "'");
        }
        if (p.nextToken() != null) {
            throw ApiException.badRequest("malformed JSON: content after the end of the object");
        }
    }

    /** One positional row; the parser is on its START_ARRAY. */
    private Example<Label> row(JsonParser p, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest(where + " must be an array of feature values");
        }
        if (!model.allNumeric()) {
            JsonNode node = p.readValueAsTree();
            List<Object> values = new ArrayList<>(node.size());
            for (JsonNode n : node) {
                values.add(scalar(n, where));
            }
            return featurize(where, () -> model.featurizer().fromValues(values));
        }
        String[] names = model.inputNames();
        double[] v = new double[names.length];
        int i = 0;
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken(), i++) {
            if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
                if (i < v.length) {
                    v[i] = p.getDoubleValue();
                }
                continue;
            }
            String feature = i < names.length ? "feature '" + names[i] + "'" : "value " + i;
            if (t == JsonToken.START_ARRAY || t == JsonToken.START_OBJECT) {
                throw ApiException.badRequest(where + ": " + feature + " must be a number, got "
                        + (t == JsonToken.START_ARRAY ? "an array" : "an object"));
            }
            if (t == JsonToken.VALUE_NULL) {
                throw ApiException.badRequest(where + ": " + feature + " is null");
            }
            throw ApiException.badRequest(where + ": " + feature + " must be a number, got "
                    + (t == JsonToken.VALUE_STRING ? "'" + p.getText() + "'" : p.getText()));
        }
        if (i != v.length) {
            throw ApiException.badRequest(where + ": expected " + v.length + " features " + model.schema().inputNames()
                    + ", got " + i);
        }
        return featurize(where, () -> model.featurizer().fromNumbers(v));
    }

    /** One row of named features; the parser is on its START_OBJECT. */
    private Example<Label> named(JsonParser p, String where) throws IOException {
        JsonNode node = p.readValueAsTree();
        return namedRow(node, where);
    }

    private Example<Label> namedRow(JsonNode node, String where) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            values.put(e.getKey(), scalar(e.getValue(), where + ": feature '" + e.getKey() + "'"));
        }
        return featurize(where, () -> model.featurizer().fromNamed(values));
    }

    private Example<Label> positionalRow(JsonNode row, String where) {
        List<Object> values = new ArrayList<>(row.size());
        for (JsonNode n : row) {
            values.add(scalar(n, where));
        }
        return featurize(where, () -> model.featurizer().fromValues(values));
    }

    private List<Example<Label>> rows(JsonParser p, String where) throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw ApiException.badRequest("'" + where + "' must be an array of rows");
        }
        List<Example<Label>> rows = new ArrayList<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            checkBatch(rows.size() + 1);
            String at = where + "[" + rows.size() + "]";
            if (t == JsonToken.START_ARRAY) {
                rows.add(row(p, at));
            } else if (t == JsonToken.START_OBJECT) {
                rows.add(named(p, at));
            } else {
                throw ApiException.badRequest(at + " must be an array of feature values or an object of named features");
            }
        }
        if (rows.isEmpty()) {
            throw ApiException.badRequest("'" + where + "' is empty; send at least one row");
        }
        return rows;
    }

    private void checkBatch(int rows) {
        if (rows > maxBatch) {
            throw new ApiException(413, "too many rows: at most " + maxBatch + " per request (--max-batch); split the batch");
        }
    }

    /** A JSON scalar as the featurizer expects it: numbers as Double, strings as String. */
    private static Object scalar(JsonNode n, String where) {
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isNull()) {
            return null;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        throw ApiException.badRequest(where + ": values must be numbers or strings, got " + (n.isArray() ? "an array" : "an object"));
    }

    private interface Featurize {
        Example<Label> get();
    }

    private static Example<Label> featurize(String where, Featurize f) {
        try {
            return f.get();
        } catch (FeatureException e) {
            throw ApiException.badRequest(where + ": " + e.getMessage());
        }
    }

    private Scored score(Example<Label> row) {
        Scored s = model.loaded().predict(row);
        metrics.prediction(s.label());
        return s;
    }

    private List<Scored> scoreAll(List<Example<Label>> rows) {
        List<Scored> out = new ArrayList<>(rows.size());
        for (Example<Label> r : rows) {
            out.add(score(r));
        }
        return out;
    }

    private static boolean finite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    private byte[] single(Scored s) {
        int li = model.labelIndex(s.label());
        if (s.probabilities() == null) {
            return single(li, s.label(), null);
        }
        double[] p = new double[labelsJson.length];
        for (int i = 0; i < p.length; i++) {
            Double d = s.probabilities().get(model.labels().get(i));
            p[i] = d == null ? Double.NaN : d;
        }
        return single(li, s.label(), p);
    }

    /**
     * Written by hand into bytes: the single-row response is the hot path and its shape is fixed. {@code li} is the
     * label's schema index (or -1, then {@code label} is written); {@code p} the probabilities by schema label
     * index, NaN for a label the model gave none, or null for a model without probabilities.
     */
    private byte[] single(int li, String label, double[] p) {
        byte[] unlisted = li >= 0 ? null : ModelServer.quote(label).getBytes(StandardCharsets.UTF_8);
        byte[] buf = li >= 0 ? out.get() : new byte[out.get().length + unlisted.length];
        int n = put(buf, 0, PREDICTION);
        n = put(buf, n, li >= 0 ? labelsBytes[li] : unlisted);
        if (p != null) {
            n = put(buf, n, PROBABILITIES);
            boolean first = true;
            for (int i = 0; i < p.length; i++) {
                if (Double.isNaN(p[i])) {
                    continue;
                }
                if (!first) {
                    buf[n++] = ',';
                }
                first = false;
                n = put(buf, n, labelsBytes[i]);
                buf[n++] = ':';
                String num = NumberOutput.toString(p[i], true);
                for (int c = 0; c < num.length(); c++) {
                    buf[n++] = (byte) num.charAt(c);
                }
            }
            buf[n++] = '}';
        }
        n = put(buf, n, identityBytes);
        return java.util.Arrays.copyOf(buf, n);
    }

    private static final byte[] PREDICTION = "{\"prediction\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PROBABILITIES = ",\"probabilities\":{".getBytes(StandardCharsets.US_ASCII);
    /** Room for the longest single-row response: sized per model in the constructor, so no bounds checks per byte. */
    private final PerThread<byte[]> out;

    private static int put(byte[] buf, int at, byte[] b) {
        System.arraycopy(b, 0, buf, at, b.length);
        return at + b.length;
    }

    private byte[] batch(List<Example<Label>> rows) throws IOException {
        List<Scored> scored = scoreAll(rows);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 96 * scored.size());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("predictions");
            for (Scored s : scored) {
                g.writeString(s.label());
            }
            g.writeEndArray();
            if (scored.get(0).probabilities() != null) {
                g.writeArrayFieldStart("probabilities");
                for (Scored s : scored) {
                    probabilities(g, s);
                }
                g.writeEndArray();
            }
            identity(g);
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    /** Probabilities keyed by label, in the schema's (sorted) label order so responses are stable. */
    private void probabilities(JsonGenerator g, Scored s) throws IOException {
        g.writeStartObject();
        for (String label : model.labels()) {
            Double d = s.probabilities().get(label);
            if (d != null) {
                g.writeNumberField(label, d);
            }
        }
        g.writeEndObject();
    }

    private void identity(JsonGenerator g) throws IOException {
        g.writeStringField("model_name", model.name());
        g.writeStringField("model_version", model.version());
    }

    // ---------------------------------------------------------------- MLflow /invocations

    private static final List<String> MLFLOW_KEYS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");

    byte[] invocations(byte[] body, int len) throws IOException {
        JsonNode root = readTree(body, len);
        List<String> present = new ArrayList<>();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (k.equals("params")) {
                if (root.get(k).size() > 0) {
                    throw ApiException.badRequest("this model takes no params; got " + root.get(k));
                }
            } else if (!MLFLOW_KEYS.contains(k)) {
                throw ApiException.badRequest("unknown field '" + k + "'; the JSON body must have exactly one of " + MLFLOW_KEYS);
            } else {
                present.add(k);
            }
        }
        if (present.size() != 1) {
            throw ApiException.badRequest("the JSON body must have exactly one of " + MLFLOW_KEYS + "; got " + present);
        }
        String key = present.get(0);
        JsonNode v = root.get(key);
        List<Example<Label>> rows = switch (key) {
            case "dataframe_split" -> dataframeSplit(v);
            case "dataframe_records" -> records(v, key);
            case "instances" -> treeRows(v, key);
            default -> v.isObject() ? columns(v, key) : treeRows(v, key);
        };
        return mlflowPredictions(rows);
    }

    /** MLflow's {@code text/csv} form of {@code /invocations}; see {@link CsvRows}. */
    byte[] invocationsCsv(byte[] body, int len) throws IOException {
        return mlflowPredictions(csv.parse(body, len));
    }

    private byte[] mlflowPredictions(List<Example<Label>> rows) throws IOException {
        List<Scored> scored = scoreAll(rows);
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + 8 * scored.size());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("predictions");
            for (Scored s : scored) {
                g.writeString(s.label());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static JsonNode readTree(byte[] body, int len) throws IOException {
        try (JsonParser p = MAPPER.createParser(body, 0, len)) {
            JsonNode root = p.readValueAsTree();
            if (root == null || !root.isObject()) {
                throw ApiException.badRequest("the body must be a JSON object");
            }
            if (p.nextToken() != null) {
                throw ApiException.badRequest("malformed JSON: content after the end of the object");
            }
            return root;
        }
    }

    private List<Example<Label>> dataframeSplit(JsonNode v) {
        if (!v.isObject()) {
            throw ApiException.badRequest("'dataframe_split' must be an object with 'columns' and 'data'");
        }
        for (Iterator<String> it = v.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("columns") && !k.equals("data") && !k.equals("index")) {
                throw ApiException.badRequest("dataframe_split: unknown field '" + k + "'; expected columns, data, index");
            }
        }
        JsonNode data = v.get("data");
        if (data == null || !data.isArray()) {
            throw ApiException.badRequest("dataframe_split: 'data' must be an array of rows");
        }
        JsonNode columns = v.get("columns");
        if (columns == null) {
            return treeRows(data, "dataframe_split.data");
        }
        if (!columns.isArray()) {
            throw ApiException.badRequest("dataframe_split: 'columns' must be an array of feature names");
        }
        checkNonEmpty(data, "dataframe_split.data");
        checkBatch(data.size());
        List<Example<Label>> rows = new ArrayList<>(data.size());
        for (int r = 0; r < data.size(); r++) {
            JsonNode row = data.get(r);
            String at = "dataframe_split.data[" + r + "]";
            if (!row.isArray() || row.size() != columns.size()) {
                throw ApiException.badRequest(at + ": expected an array of " + columns.size() + " values (one per column)");
            }
            Map<String, Object> named = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                named.put(columns.get(c).asText(), scalar(row.get(c), at));
            }
            rows.add(featurize(at, () -> model.featurizer().fromNamed(named)));
        }
        return rows;
    }

    /** MLflow's dataframe_records: like {@link #treeRows} but every row must be an object of named features. */
    private List<Example<Label>> records(JsonNode v, String where) {
        return rowsOf(v, where, false);
    }

    private List<Example<Label>> treeRows(JsonNode v, String where) {
        return rowsOf(v, where, true);
    }

    private List<Example<Label>> rowsOf(JsonNode v, String where, boolean positional) {
        if (!v.isArray()) {
            throw ApiException.badRequest("'" + where + "' must be an array of " + (positional ? "rows" : "objects"));
        }
        checkNonEmpty(v, where);
        checkBatch(v.size());
        List<Example<Label>> rows = new ArrayList<>(v.size());
        for (int r = 0; r < v.size(); r++) {
            JsonNode row = v.get(r);
            String at = where + "[" + r + "]";
            if (positional && row.isArray()) {
                rows.add(positionalRow(row, at));
            } else if (row.isObject()) {
                rows.add(namedRow(row, at));
            } else {
                throw ApiException.badRequest(at + (positional ? " must be an array of feature values or an object of named features"
                        : " must be an object of named features"));
            }
        }
        return rows;
    }

    /** TF-serving columnar form: {"x0": [..], "x1": [..]}, every column the same length. */
    private List<Example<Label>> columns(JsonNode v, String where) {
        int n = -1;
        for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isArray()) {
                throw ApiException.badRequest(where + "." + e.getKey() + " must be an array (one value per row)");
            }
            if (n >= 0 && e.getValue().size() != n) {
                throw ApiException.badRequest(where + ": columns have different lengths (" + n + " and "
                        + e.getValue().size() + " for '" + e.getKey() + "')");
            }
            n = e.getValue().size();
        }
        if (n <= 0) {
            throw ApiException.badRequest("'" + where + "' is empty; send at least one row");
        }
        checkBatch(n);
        List<Example<Label>> rows = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            String at = where + " row " + r;
            Map<String, Object> named = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = v.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                named.put(e.getKey(), scalar(e.getValue().get(r), at));
            }
            rows.add(featurize(at, () -> model.featurizer().fromNamed(named)));
        }
        return rows;
    }

    private static void checkNonEmpty(JsonNode v, String where) {
        if (v.isEmpty()) {
            throw ApiException.badRequest("'" + where + "' is empty; send at least one row");
        }
    }

    // ---------------------------------------------------------------- Open Inference Protocol V2

    private static final List<String> V2_NUMERIC = List.of("UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16",
            "INT32", "INT64", "FP16", "FP32", "FP64");
    static final String OUTPUT_LABEL = "predict";
    static final String OUTPUT_PROBABILITIES = "probabilities";

    byte[] v2Metadata() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("name", model.name());
            g.writeArrayFieldStart("versions");
            g.writeString(model.version());
            g.writeEndArray();
            g.writeStringField("platform", "tribuo");
            g.writeArrayFieldStart("inputs");
            for (var in : model.schema().inputs()) {
                g.writeStartObject();
                g.writeStringField("name", in.name());
                g.writeStringField("datatype", in.levels() == null ? "FP64" : "BYTES");
                g.writeArrayFieldStart("shape");
                g.writeNumber(-1);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("outputs");
            tensorMeta(g, OUTPUT_LABEL, "BYTES", -1);
            if (model.loaded().hasProbabilities()) {
                tensorMeta(g, OUTPUT_PROBABILITIES, "FP64", -1, model.labels().size());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private static void tensorMeta(JsonGenerator g, String name, String type, int... shape) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("datatype", type);
        g.writeArrayFieldStart("shape");
        for (int s : shape) {
            g.writeNumber(s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * Two request layouts: one tensor of shape [rows, features] (or [features]) for all-numeric models, or one
     * input per feature, named after it, of shape [rows] or [rows, 1] (FP/INT types for numeric features, BYTES for
     * categorical ones). Outputs: {@code predict} (BYTES, [rows]) and {@code probabilities} (FP64, [rows, classes],
     * columns in the order of the output's {@code labels} parameter).
     */
    byte[] v2Infer(byte[] body, int len) throws IOException {
        JsonNode root = readTree(body, len);
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!List.of("id", "parameters", "inputs", "outputs").contains(k)) {
                throw ApiException.badRequest("unknown field '" + k + "'; expected id, parameters, inputs, outputs");
            }
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isTextual()) {
            throw ApiException.badRequest("'id' must be a string");
        }
        JsonNode inputs = root.get("inputs");
        if (inputs == null || !inputs.isArray() || inputs.isEmpty()) {
            throw ApiException.badRequest("'inputs' must be a non-empty array of tensors {name, shape, datatype, data}");
        }
        List<Tensor> tensors = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            tensors.add(Tensor.parse(inputs.get(i), "inputs[" + i + "]"));
        }
        List<String> wanted = requestedOutputs(root.get("outputs"));
        List<String> names = model.schema().inputNames();
        List<Example<Label>> rows = tensors.size() == 1 && !names.contains(tensors.get(0).name)
                ? fromTensor(tensors.get(0)) : fromColumns(tensors);
        List<Scored> scored = scoreAll(rows);

        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 48 * scored.size());
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("model_name", model.name());
            g.writeStringField("model_version", model.version());
            if (id != null) {
                g.writeStringField("id", id.textValue());
            }
            g.writeArrayFieldStart("outputs");
            if (wanted.contains(OUTPUT_LABEL)) {
                g.writeStartObject();
                g.writeStringField("name", OUTPUT_LABEL);
                g.writeArrayFieldStart("shape");
                g.writeNumber(scored.size());
                g.writeEndArray();
                g.writeStringField("datatype", "BYTES");
                g.writeArrayFieldStart("data");
                for (Scored s : scored) {
                    g.writeString(s.label());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            if (wanted.contains(OUTPUT_PROBABILITIES)) {
                List<String> labels = model.labels();
                g.writeStartObject();
                g.writeStringField("name", OUTPUT_PROBABILITIES);
                g.writeArrayFieldStart("shape");
                g.writeNumber(scored.size());
                g.writeNumber(labels.size());
                g.writeEndArray();
                g.writeStringField("datatype", "FP64");
                g.writeObjectFieldStart("parameters");
                g.writeStringField("labels", String.join(",", labels));
                g.writeEndObject();
                g.writeArrayFieldStart("data");
                for (Scored s : scored) {
                    for (String label : labels) {
                        Double d = s.probabilities().get(label);
                        g.writeNumber(d == null ? 0.0 : d);
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    private List<String> requestedOutputs(JsonNode outputs) {
        List<String> available = model.loaded().hasProbabilities()
                ? List.of(OUTPUT_LABEL, OUTPUT_PROBABILITIES) : List.of(OUTPUT_LABEL);
        if (outputs == null) {
            return available;
        }
        if (!outputs.isArray()) {
            throw ApiException.badRequest("'outputs' must be an array of {name}");
        }
        List<String> wanted = new ArrayList<>();
        for (JsonNode o : outputs) {
            String name = o.path("name").asText("");
            if (!available.contains(name)) {
                throw ApiException.badRequest("unknown output '" + name + "'; this model has " + available);
            }
            wanted.add(name);
        }
        return wanted;
    }

    private List<Example<Label>> fromTensor(Tensor t) {
        String[] names = model.inputNames();
        if (!model.allNumeric()) {
            throw ApiException.badRequest("input '" + t.name + "' is not a feature name; this model has categorical "
                    + "inputs, so send one input per feature " + model.schema().inputNames());
        }
        if (!V2_NUMERIC.contains(t.datatype)) {
            throw ApiException.badRequest(t.where + ": datatype " + t.datatype + " is not numeric; use FP64, FP32 or an INT type");
        }
        int rows;
        if (t.shape.length == 2 && t.shape[1] == names.length) {
            rows = (int) t.shape[0];
        } else if (t.shape.length == 1 && t.shape[0] == names.length) {
            rows = 1;
        } else {
            throw ApiException.badRequest(t.where + ": shape " + java.util.Arrays.toString(t.shape) + " does not fit this model; "
                    + "expected [rows, " + names.length + "] for features " + model.schema().inputNames());
        }
        if (rows == 0) {
            throw ApiException.badRequest(t.where + ": no rows");
        }
        checkBatch(rows);
        List<Example<Label>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            double[] v = new double[names.length];
            for (int c = 0; c < names.length; c++) {
                JsonNode n = t.data.get(r * names.length + c);
                if (!n.isNumber()) {
                    throw ApiException.badRequest(t.where + " row " + r + ": feature '" + names[c] + "' must be a number, got " + n);
                }
                v[c] = n.doubleValue();
            }
            String at = t.where + " row " + r;
            out.add(featurize(at, () -> model.featurizer().fromNumbers(v)));
        }
        return out;
    }

    private List<Example<Label>> fromColumns(List<Tensor> tensors) {
        List<String> names = model.schema().inputNames();
        int rows = -1;
        for (Tensor t : tensors) {
            if (!names.contains(t.name)) {
                throw ApiException.badRequest(t.where + ": unknown input '" + t.name + "'; expected one input per feature "
                        + names + ", or one [rows, " + names.size() + "] tensor");
            }
            boolean column = t.shape.length == 1 || (t.shape.length == 2 && t.shape[1] == 1);
            if (!column) {
                throw ApiException.badRequest(t.where + ": shape " + java.util.Arrays.toString(t.shape)
                        + " is not a column; expected [rows] or [rows, 1]");
            }
            if (rows >= 0 && t.shape[0] != rows) {
                throw ApiException.badRequest(t.where + ": " + t.shape[0] + " rows, but other inputs have " + rows);
            }
            rows = (int) t.shape[0];
            boolean categorical = model.schema().inputs().get(names.indexOf(t.name)).levels() != null;
            if (categorical && !t.datatype.equals("BYTES")) {
                throw ApiException.badRequest(t.where + ": '" + t.name + "' is categorical; send it as BYTES (strings)");
            }
            if (!categorical && !V2_NUMERIC.contains(t.datatype)) {
                throw ApiException.badRequest(t.where + ": '" + t.name + "' is numeric; datatype " + t.datatype
                        + " is not (use FP64, FP32 or an INT type)");
            }
        }
        if (rows == 0) {
            throw ApiException.badRequest("inputs have no rows");
        }
        checkBatch(rows);
        List<Example<Label>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> named = new LinkedHashMap<>();
            for (Tensor t : tensors) {
                named.put(t.name, scalar(t.data.get(r), t.where));
            }
            String at = "row " + r;
            out.add(featurize(at, () -> model.featurizer().fromNamed(named)));
        }
        return out;
    }

    /** One V2 input tensor with its data flattened row-major. */
    private record Tensor(String where, String name, long[] shape, String datatype, List<JsonNode> data) {
        static Tensor parse(JsonNode n, String where) {
            if (!n.isObject()) {
                throw ApiException.badRequest(where + " must be an object {name, shape, datatype, data}");
            }
            JsonNode name = n.get("name");
            JsonNode shape = n.get("shape");
            JsonNode datatype = n.get("datatype");
            JsonNode data = n.get("data");
            if (name == null || !name.isTextual()) {
                throw ApiException.badRequest(where + ": 'name' must be a string");
            }
            String at = where + " '" + name.textValue() + "'";
            if (shape == null || !shape.isArray() || shape.isEmpty()) {
                throw ApiException.badRequest(at + ": 'shape' must be a non-empty array of sizes");
            }
            long[] dims = new long[shape.size()];
            long count = 1;
            for (int i = 0; i < dims.length; i++) {
                if (!shape.get(i).canConvertToLong() || !shape.get(i).isIntegralNumber() || shape.get(i).longValue() < 0) {
                    throw ApiException.badRequest(at + ": 'shape' must hold non-negative integers, got " + shape);
                }
                dims[i] = shape.get(i).longValue();
                count = Math.multiplyExact(count, dims[i]);
            }
            if (datatype == null || !datatype.isTextual()) {
                throw ApiException.badRequest(at + ": 'datatype' must be a string such as FP64 or BYTES");
            }
            String type = datatype.textValue();
            if (!V2_NUMERIC.contains(type) && !type.equals("BYTES") && !type.equals("BOOL")) {
                throw ApiException.badRequest(at + ": unknown datatype '" + type + "'");
            }
            if (type.equals("BOOL")) {
                throw ApiException.badRequest(at + ": BOOL inputs are not accepted; send numbers (FP64) or strings (BYTES)");
            }
            if (data == null || !data.isArray()) {
                throw ApiException.badRequest(at + ": 'data' must be an array (nested or flat, row-major)");
            }
            List<JsonNode> flat = new ArrayList<>();
            flatten(data, flat);
            if (flat.size() != count) {
                throw ApiException.badRequest(at + ": shape " + shape + " needs " + count + " values, data has " + flat.size());
            }
            return new Tensor(at, name.textValue(), dims, type, flat);
        }

        private static void flatten(JsonNode n, List<JsonNode> out) {
            for (JsonNode c : n) {
                if (c.isArray()) {
                    flatten(c, out);
                } else {
                    out.add(c);
                }
            }
        }
    }
}
