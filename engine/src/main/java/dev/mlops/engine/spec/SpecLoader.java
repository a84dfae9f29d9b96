package dev.mlops.engine.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlops.engine.InputException;
import dev.mlops.engine.InputFiles;
import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.gate.Gate;
import dev.mlops.engine.gate.PolicyProblem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads {@code mlops.yaml} into a {@link PipelineSpec}. Command-line overrides ({@code key.path=value}) are applied
 * to the document before binding, so they are validated exactly like the file. Every error names the file, the line
 * and the key, or the override that caused it.
 */
public final class SpecLoader {
    private static final YAMLFactory YAML_FACTORY = new YAMLFactory();
    private static final ObjectMapper YAML = YAMLMapper.builder(YAML_FACTORY)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .build();

    private SpecLoader() {
    }

    public static PipelineSpec load(Path file) {
        return load(file, List.of());
    }

    public static PipelineSpec load(Path file, List<String> overrides) {
        InputFiles.requireRegular(file, "YAML file");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InputException(file + ": spec file not found");
        } catch (IOException e) {
            throw new InputException(file + ": cannot read spec file: " + e.getMessage());
        }
        YamlTree.Result doc = YamlTree.read(YAML_FACTORY, text, file);
        JsonNode root = doc.root();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new InputException(file + ": spec file is empty; expected at least 'data.path' and 'data.target'");
        }
        if (!root.isObject()) {
            throw new InputException(file + ":1: expected a mapping of sections (name, data, model, gate, tracking, deploy)");
        }
        Map<List<String>, String> overridden = new LinkedHashMap<>();
        for (String o : overrides) {
            applyOverride((ObjectNode) root, o, overridden);
        }
        Where where = new Where(file, doc.lines(), overridden);
        Raw raw;
        try {
            raw = YAML.treeToValue(root, Raw.class);
        } catch (JsonProcessingException e) {
            throw bindingError(e, where);
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage());
        }
        return validate(raw, where);
    }

    /** The file's top-level shape; sections are optional except data. */
    record Raw(String name, DataSpec data, ModelSpec model, GatePolicy gate, TrackingSpec tracking, DeploySpec deploy) {
    }

    /**
     * Says where a key came from: the override that set it (or created the section it sits in), else its line in
     * the file, else the line of the closest enclosing key. Keys are paths of names, since metric names such as
     * {@code f1.yes} contain dots.
     */
    private record Where(Path file, Map<List<String>, Integer> lines, Map<List<String>, String> overridden) {
        String at(List<String> key) {
            for (Map.Entry<List<String>, String> o : overridden.entrySet()) {
                List<String> set = o.getKey();
                boolean setThis = startsWith(key, set);
                boolean createdThis = startsWith(set, key) && !lines.containsKey(key);
                if (setThis || createdThis) {
                    return file + ": --set " + o.getValue() + ": '" + OverrideKey.show(key) + "'";
                }
            }
            for (int n = key.size(); n > 0; n--) {
                Integer line = lines.get(key.subList(0, n));
                if (line != null) {
                    return file + ":" + line + ": '" + OverrideKey.show(key) + "'";
                }
            }
            return file + ": '" + OverrideKey.show(key) + "'";
        }

        String at(String dottedKey) {
            return at(List.of(dottedKey.split("\\.")));
        }

        InputException error(List<String> key, String problem) {
            return new InputException(at(key) + " " + problem);
        }

        InputException error(String dottedKey, String problem) {
            return new InputException(at(dottedKey) + " " + problem);
        }

        /**
         * For a problem at a key that an unquoted override created by splitting a metric name at its dots
         * ({@code gate.metrics.f1.yes.min=0.9} makes a metric "f1" with a key "yes"): how to write it.
         */
        String quotingHint(List<String> key) {
            for (Map.Entry<List<String>, String> o : overridden.entrySet()) {
                List<String> set = o.getKey();
                if (startsWith(set, key) && !lines.containsKey(key) && set.size() > 4
                        && set.get(0).equals("gate") && set.get(1).equals("metrics")) {
                    List<String> joined = List.of("gate", "metrics", String.join(".", set.subList(2, set.size() - 1)),
                            set.get(set.size() - 1));
                    return "\n  a metric name that holds dots must be quoted in --set: " + OverrideKey.show(joined)
                            + "=" + o.getValue().substring(OverrideKey.equalsSign(o.getValue()) + 1);
                }
            }
            return "";
        }

        private static boolean startsWith(List<String> path, List<String> prefix) {
            return path.size() >= prefix.size() && path.subList(0, prefix.size()).equals(prefix);
        }
    }

    private static PipelineSpec validate(Raw raw, Where w) {
        if (raw.data() == null) {
            throw w.error("data", "is required: a section with at least 'path' and 'target'");
        }
        DataSpec d = raw.data();
        if (d.path() == null) {
            throw w.error("data.path", "is required: the training data file (CSV with a header row)");
        }
        if (d.target() == null || d.target().isBlank()) {
            throw w.error("data.target", "is required: the name of the label column");
        }
        if (!d.format().equals("csv")) {
            throw w.error("data.format", "must be 'csv' (the only format supported), got '" + d.format() + "'");
        }
        if (d.target().equals(d.sensitive())) {
            throw w.error("data.sensitive", "must differ from the target column");
        }
        DataChecks c = d.checks();
        share(w, "data.checks.maxNullShare", c.maxNullShare());
        share(w, "data.checks.maxDuplicateShare", c.maxDuplicateShare());
        share(w, "data.checks.minClassShare", c.minClassShare());
        if (c.minRows() < 1) {
            throw w.error("data.checks.minRows", "must be at least 1, got " + c.minRows());
        }
        DriftSpec drift = c.drift();
        if (drift.psiWarn() < 0 || drift.psiFail() < drift.psiWarn()) {
            throw w.error("data.checks.drift", "needs 0 <= psiWarn <= psiFail, got psiWarn " + drift.psiWarn() + ", psiFail " + drift.psiFail());
        }
        share(w, "data.checks.drift.ksPValue", drift.ksPValue());
        if (drift.bins() < 2) {
            throw w.error("data.checks.drift.bins", "must be at least 2, got " + drift.bins());
        }
        for (Map.Entry<String, ColumnSchema> e : d.schema().entrySet()) {
            ColumnSchema s = e.getValue();
            String key = "data.schema." + e.getKey();
            if (s == null) {
                throw w.error(key, "needs at least 'type: numeric' or 'type: categorical'");
            }
            if (s.min() != null && s.max() != null && s.min() > s.max()) {
                throw w.error(key, "has min " + s.min() + " greater than max " + s.max());
            }
            if (s.type() == ColumnType.CATEGORICAL && (s.min() != null || s.max() != null)) {
                throw w.error(key, "is categorical; min/max apply to numeric columns only");
            }
            if (s.type() == ColumnType.NUMERIC && s.values() != null) {
                throw w.error(key, "is numeric; 'values' applies to categorical columns only");
            }
            if (s.maxNullShare() != null) {
                share(w, key + ".maxNullShare", s.maxNullShare());
            }
        }
        ModelSpec m = raw.model() == null ? ModelSpec.defaults() : raw.model();
        if (m.folds() < 1 || m.folds() > 20) {
            throw w.error("model.folds", "must be between 1 and 20, got " + m.folds());
        }
        if (m.maxClasses() < 2) {
            throw w.error("model.maxClasses", "must be at least 2, got " + m.maxClasses());
        }
        open01(w, "model.testSplit", m.testSplit());
        open01(w, "model.validationSplit", m.validationSplit());
        if (!MetricCatalog.isKnown(m.selectBy())) {
            throw w.error("model.selectBy", "is not a known metric: '" + m.selectBy() + "'; use one of " + MetricCatalog.SCALARS);
        }
        for (Map.Entry<String, List<Double>> g : m.grid().entrySet()) {
            if (g.getValue() == null || g.getValue().isEmpty()) {
                throw w.error("model.grid." + g.getKey(), "needs at least one value");
            }
        }
        GatePolicy gate = raw.gate() == null ? GatePolicy.defaults() : raw.gate();
        List<PolicyProblem> problems = Gate.policyProblems(gate);
        if (!problems.isEmpty()) {
            // The first problem carries the line; the rest are listed so one edit can fix them all.
            PolicyProblem first = problems.get(0);
            StringBuilder msg = new StringBuilder(first.message());
            for (PolicyProblem more : problems.subList(1, problems.size())) {
                msg.append("\n  also ").append(w.at(more.path())).append(": ").append(more.message());
            }
            throw new InputException(w.at(first.path()) + ": " + msg + w.quotingHint(first.path()));
        }
        for (String metric : gate.metrics().keySet()) {
            if (MetricCatalog.isFairness(metric) && d.sensitive() == null) {
                throw w.error(List.of("gate", "metrics", metric), "is a fairness metric, which needs 'data.sensitive' (the column holding the groups)");
            }
        }
        String name = raw.name() != null ? raw.name() : stripExtension(w.file());
        TrackingSpec t = raw.tracking() == null ? new TrackingSpec(null, null, null, null, null, null) : raw.tracking();
        t = new TrackingSpec(t.uri(), t.experiment() != null ? t.experiment() : name,
                t.registeredModel() != null ? t.registeredModel() : name, t.connectTimeoutSeconds(),
                t.requestTimeoutSeconds(), t.deadlineSeconds());
        if (t.connectTimeoutSeconds() < 1 || t.connectTimeoutSeconds() > 120) {
            throw w.error("tracking.connectTimeoutSeconds", "must be between 1 and 120, got " + t.connectTimeoutSeconds());
        }
        if (t.requestTimeoutSeconds() < 1 || t.requestTimeoutSeconds() > 600) {
            throw w.error("tracking.requestTimeoutSeconds", "must be between 1 and 600, got " + t.requestTimeoutSeconds());
        }
        if (t.deadlineSeconds() < t.requestTimeoutSeconds() || t.deadlineSeconds() > 3600) {
            throw w.error("tracking.deadlineSeconds", "must be between tracking.requestTimeoutSeconds (" + t.requestTimeoutSeconds()
                    + ") and 3600, got " + t.deadlineSeconds());
        }
        DeploySpec dep = raw.deploy() == null ? DeploySpec.defaults() : raw.deploy();
        if (!dep.target().equals("local") && !dep.target().equals("kubernetes")) {
            throw w.error("deploy.target", "must be 'local' or 'kubernetes', got '" + dep.target() + "'");
        }
        if (dep.history() < 1 || dep.history() > 50) {
            throw w.error("deploy.history", "must be between 1 and 50, got " + dep.history());
        }
        share(w, "deploy.maxErrorRate", dep.maxErrorRate());
        pathSafe(w, t, dep);
        if (dep.verifySeconds() < 0 || dep.rollbackVerifySeconds() < 0) {
            throw w.error(dep.verifySeconds() < 0 ? "deploy.verifySeconds" : "deploy.rollbackVerifySeconds",
                    "must not be negative");
        }
        if (dep.scaleDownDelaySeconds() < 0) {
            throw w.error("deploy.scaleDownDelaySeconds", "must not be negative, got " + dep.scaleDownDelaySeconds());
        }
        if (dep.stagingPort().equals(dep.port())) {
            throw w.error("deploy.stagingPort", "must differ from deploy.port (" + dep.port() + "): staging and "
                    + "production each need their own public port");
        }
        KubernetesSpec k = dep.kubernetes();
        if (k != null) {
            if (k.model() != null && !k.model().equals("registry") && !k.model().equals("image")) {
                throw w.error("deploy.kubernetes.model", "must be 'registry' (load models:/<name>/<version> at start) "
                        + "or 'image' (the model is baked into the image), got '" + k.model() + "'");
            }
            port(w, "deploy.kubernetes.containerPort", k.containerPort());
            port(w, "deploy.kubernetes.servicePort", k.servicePort());
            if (k.storeClaim() != null && "image".equals(k.model())) {
                throw w.error("deploy.kubernetes.storeClaim", "applies to model: registry only (an image carries its model)");
            }
        }
        Path base = w.file().toAbsolutePath().getParent();
        DataSpec data = new DataSpec(base.resolve(d.path()).normalize(), d.format(), d.target(), d.sensitive(),
                d.positiveClass(), d.reference() == null ? null : base.resolve(d.reference()).normalize(), d.checks(), d.schema());
        DeploySpec deploy = new DeploySpec(dep.app() != null ? dep.app() : name, dep.target(), dep.namespace(),
                dep.image(), dep.replicas(), dep.warmReplicas(), dep.port(), dep.stagingPort(), dep.stagingNamespace(),
                dep.smokeSamples() == null ? null : base.resolve(dep.smokeSamples()).normalize(),
                dep.smokeLatencyBudgetMs(), dep.readyTimeoutSeconds(), dep.verifySeconds(), dep.rollbackVerifySeconds(),
                dep.maxErrorRate(), dep.history(), dep.kubeconfig(), k, dep.scaleDownDelaySeconds());
        return new PipelineSpec(w.file(), name, data, m, gate, t, deploy);
    }

    private static void port(Where w, String key, Integer p) {
        if (p != null && (p < 1 || p > 65535)) {
            throw w.error(key, "must be a TCP port between 1 and 65535, got " + p);
        }
    }

    /**
     * Values that become file or folder names (the registered model's folder in the tracking store, the app's state
     * folder) are checked now, before anything is read or written, not when the first write refuses them.
     */
    private static void pathSafe(Where w, TrackingSpec t, DeploySpec dep) {
        String model = t.registeredModel();
        if (model.isBlank() || model.equals(".") || model.equals("..") || model.contains("/") || model.contains("\\")
                || model.contains("%") || model.chars().anyMatch(Character::isISOControl)) {
            throw w.error("tracking.registeredModel", "'" + model + "' is not a usable model name: no '/', '\\', '%'"
                    + " or control characters, and not '.' or '..'");
        }
        if (dep.app() != null && !dev.mlops.engine.deploy.DeployConfig.isValidApp(dep.app())) {
            throw w.error("deploy.app", "'" + dep.app() + "' must be " + dev.mlops.engine.deploy.DeployConfig.APP_RULE);
        }
    }

    private static void share(Where w, String key, double v) {
        if (!(v >= 0 && v <= 1)) {
            throw w.error(key, "must be a share between 0 and 1, got " + v);
        }
    }

    private static void open01(Where w, String key, double v) {
        if (!(v > 0 && v < 1)) {
            throw w.error(key, "must be strictly between 0 and 1, got " + v);
        }
    }

    private static String stripExtension(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        String fn = file.getFileName().toString();
        if ((fn.equals("mlops.yaml") || fn.equals("mlops.yml")) && parent != null && parent.getFileName() != null) {
            return parent.getFileName().toString();
        }
        int dot = fn.lastIndexOf('.');
        return dot > 0 ? fn.substring(0, dot) : fn;
    }

    private static InputException bindingError(JsonProcessingException e, Where w) {
        List<String> key = e instanceof JsonMappingException jme ? path(jme) : List.of();
        if (e instanceof UnrecognizedPropertyException u) {
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.toList());
            return new InputException(w.at(key) + " is not a known key; expected one of " + known + w.quotingHint(key));
        }
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause() != null ? v.getCause() : v;
            return w.error(key, "has an invalid value: " + cause.getMessage());
        }
        if (e instanceof InvalidFormatException f) {
            return w.error(key, "expects " + describe(f.getTargetType()) + ", got '" + f.getValue() + "'");
        }
        if (e instanceof MismatchedInputException m) {
            return w.error(key, "expects " + describe(m.getTargetType()) + (m.getTargetType() == null ? ": " + m.getOriginalMessage() : ""));
        }
        return w.error(key, e.getOriginalMessage());
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "a different value";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class || type == Path.class) {
            return "a string";
        }
        if (type.isEnum()) {
            List<String> values = new ArrayList<>();
            for (Object c : type.getEnumConstants()) {
                values.add(c.toString().toLowerCase(java.util.Locale.ROOT));
            }
            return "one of " + values;
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping of keys";
        }
        return "a " + type.getSimpleName();
    }

    /** The key path of a binding error; list positions are left out, so the error points at the list's line. */
    private static List<String> path(JsonMappingException e) {
        List<String> p = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                p.add(r.getFieldName());
            }
        }
        return p;
    }

    private static void applyOverride(ObjectNode root, String override, Map<List<String>, String> overridden) {
        int eq = OverrideKey.equalsSign(override);
        if (eq < 0 && (override.indexOf('"') >= 0 || override.indexOf('\'') >= 0)) {
            OverrideKey.parse(override, override); // names the quote that is not closed
        }
        if (eq <= 0) {
            throw new InputException("--set " + override + ": expected key.path=value, e.g. model.seed=7"
                    + " (quote a name that holds dots: gate.metrics.\"f1.yes\".min=0.9)");
        }
        List<String> parts = OverrideKey.parse(override, override.substring(0, eq).trim());
        String value = override.substring(eq + 1);
        JsonNode parsed;
        try {
            parsed = value.isEmpty() ? JsonNodeFactory.instance.nullNode() : YAML.readTree(value);
        } catch (JsonProcessingException e) {
            throw new InputException("--set " + override + ": value is not valid YAML: " + e.getOriginalMessage());
        }
        if (parsed == null || parsed.isMissingNode()) {
            parsed = JsonNodeFactory.instance.nullNode();
        }
        ObjectNode node = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            JsonNode child = node.get(parts.get(i));
            if (child == null || child.isNull()) {
                child = node.putObject(parts.get(i));
            } else if (!child.isObject()) {
                throw new InputException("--set " + override + ": '" + OverrideKey.show(parts.subList(0, i + 1))
                        + "' is not a section");
            }
            node = (ObjectNode) child;
        }
        node.set(parts.get(parts.size() - 1), parsed);
        overridden.put(parts, override);
    }
}
