package dev.mlops.engine.train;

import dev.mlops.engine.AtomicFiles;
import dev.mlops.engine.InputException;
import dev.mlops.engine.Json;
import dev.mlops.engine.evaluate.Evaluation;
import dev.mlops.engine.evaluate.FairnessReport;
import dev.mlops.engine.evaluate.MetricCatalog;
import dev.mlops.engine.model.ModelArtifact;
import dev.mlops.engine.model.ModelSchema;
import org.tribuo.Tribuo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a training run's files: the model, its metrics as JSON, the measured performance as JSON and a Markdown
 * model card. {@code model.tribuo} and {@code metrics.json} hold only what the inputs determine, so the same data,
 * spec, seed, git SHA and training time give the same bytes; what this machine measured (single-row latency, phase
 * timings) goes to {@code performance.json}.
 */
public final class TrainOutputs {
    public static final String MODEL_FILE = "model.tribuo";
    public static final String METRICS_FILE = "metrics.json";
    public static final String PERFORMANCE_FILE = "performance.json";
    public static final String CARD_FILE = "model-card.md";
    /** Metrics measured on this machine: kept out of metrics.json, which must be reproducible. */
    static final List<String> MEASURED = List.of(MetricCatalog.LATENCY_P50_MS, MetricCatalog.LATENCY_P95_MS,
            MetricCatalog.LATENCY_P99_MS);

    private TrainOutputs() {
    }

    /** The files written, each atomically; the model first, so the reported size is the file's own. */
    public record Written(Path model, Path metrics, Path performance, Path card) {
    }

    public static Written write(TrainingResult result, Path outDir) {
        Path model = outDir.resolve(MODEL_FILE);
        ModelArtifact.save(result.model(), model);
        long size;
        try {
            size = Files.size(model);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + model + ": " + e.getMessage(), e);
        }
        Map<String, Object> json = metricsJson(result, size);
        Path metrics = outDir.resolve(METRICS_FILE);
        AtomicFiles.writeString(metrics, Json.write(json) + "\n");
        Path performance = outDir.resolve(PERFORMANCE_FILE);
        AtomicFiles.writeString(performance, Json.write(performanceJson(result)) + "\n");
        Path card = outDir.resolve(CARD_FILE);
        AtomicFiles.writeString(card, card(result, size));
        return new Written(model, metrics, performance, card);
    }

    /**
     * Reads the scalar metrics back from a {@code metrics.json} this class wrote ({@code {"metrics": {...}}}), with the
     * measured ones from the {@code performance.json} beside it, or from a flat object of metric names to numbers,
     * for gating metrics computed elsewhere.
     */
    public static Map<String, Double> readMetrics(Path file) {
        dev.mlops.engine.InputFiles.requireRegular(file, "metrics JSON file");
        Map<String, Double> out = readMetricsObject(file, true);
        Path performance = file.resolveSibling(PERFORMANCE_FILE);
        if (!file.getFileName().toString().equals(PERFORMANCE_FILE) && Files.isRegularFile(performance)
                && isWrapped(file)) {
            for (Map.Entry<String, Double> e : readMetricsObject(performance, false).entrySet()) {
                out.putIfAbsent(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    private static boolean isWrapped(Path file) {
        try {
            com.fasterxml.jackson.databind.JsonNode root = Json.MAPPER.readTree(Files.readString(file));
            return root != null && root.has("metrics");
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Double> readMetricsObject(Path file, boolean required) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = Json.MAPPER.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            if (!required) {
                return new LinkedHashMap<>();
            }
            throw new InputException(file + ": metrics file not found; run 'mlops train' first or pass --metrics");
        } catch (IOException e) {
            throw new InputException(file + ": not valid JSON: " + e.getMessage());
        }
        com.fasterxml.jackson.databind.JsonNode m = root != null && root.has("metrics") ? root.get("metrics") : root;
        if (m == null || !m.isObject()) {
            throw new InputException(file + ": expected an object of metric names to numbers, or {\"metrics\": {...}}");
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (var it = m.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getValue().isNumber()) {
                throw new InputException(file + ": metric '" + e.getKey() + "' is not a number");
            }
            out.put(e.getKey(), e.getValue().asDouble());
        }
        return out;
    }

    /**
     * The evaluator's notes from a {@code metrics.json} this class wrote (why a metric is absent or how it was
     * measured); empty for a flat metrics file.
     */
    public static Map<String, String> readNotes(Path file) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return out;
        }
        try {
            com.fasterxml.jackson.databind.JsonNode notes = Json.MAPPER.readTree(Files.readString(file)).path("notes");
            notes.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        } catch (IOException | RuntimeException e) {
            // readMetrics has already said what is wrong with the file; notes only improve messages
        }
        return out;
    }

    /** The scalar metrics with the model size taken from the written file. */
    public static Map<String, Double> scalars(TrainingResult r, long sizeBytes) {
        Map<String, Double> m = new LinkedHashMap<>(r.test().metrics());
        m.put(MetricCatalog.MODEL_SIZE_BYTES, (double) sizeBytes);
        return m;
    }

    static Map<String, Object> metricsJson(TrainingResult r, long sizeBytes) {
        Evaluation e = r.test();
        ModelSchema s = r.schema();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_name", s.modelName());
        out.put("algorithm", r.algorithm().id());
        Map<String, Double> determined = scalars(r, sizeBytes);
        determined.keySet().removeAll(MEASURED);
        out.put("metrics", determined);
        out.put("labels", e.labels());
        out.put("positive_class", e.positiveClass());
        Map<String, Object> cm = new LinkedHashMap<>();
        cm.put("labels", e.labels());
        cm.put("rows_are", "actual");
        cm.put("matrix", e.confusionMatrix());
        out.put("confusion_matrix", cm);
        Map<String, Object> perClass = new LinkedHashMap<>();
        Map<String, String> metricLabels = new LinkedHashMap<>();
        for (int c = 0; c < e.labels().size(); c++) {
            String l = e.labels().get(c);
            List<String> names = MetricCatalog.perClass(l);
            Map<String, Object> pc = new LinkedHashMap<>();
            pc.put("precision", e.metrics().get(names.get(0)));
            pc.put("recall", e.metrics().get(names.get(1)));
            pc.put("f1", e.metrics().get(names.get(2)));
            pc.put("support", e.support()[c]);
            perClass.put(l, pc);
            metricLabels.put(MetricCatalog.metricLabel(l), l);
        }
        out.put("per_class", perClass);
        // the way back from a per-class metric name (f1.le50K) to its class (<=50K)
        out.put("metric_labels", metricLabels);
        out.put("select_by", r.selectBy());
        out.put("chosen_params", Trainers.asNumbers(r.algorithm(), r.chosen()));
        List<Map<String, Object>> cv = new ArrayList<>();
        for (TrainingResult.CvScore c : r.cv()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("params", Trainers.asNumbers(r.algorithm(), c.params()));
            row.put("mean", c.mean());
            row.put("folds", c.folds());
            cv.add(row);
        }
        out.put("cv", cv);
        out.put("rows", Map.of("train", r.trainRows(), "test", r.testRows()));
        if (e.fairness() != null) {
            out.put("fairness", e.fairness());
        }
        out.put("notes", e.notes());
        out.put("git_sha", s.gitSha());
        out.put("data_sha256", s.dataSha256());
        out.put("trained_at", s.trainedAt());
        return out;
    }

    /** What this run measured on this machine: single-row latency and the time of each phase. */
    static Map<String, Object> performanceJson(TrainingResult r) {
        Map<String, Double> measured = new LinkedHashMap<>();
        for (String m : MEASURED) {
            Double v = r.test().metrics().get(m);
            if (v != null) {
                measured.put(m, v);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("metrics", measured);
        out.put("timings_ms", r.timingsMillis());
        out.put("note", "measured on the machine that trained; varies from run to run (metrics.json does not)");
        return out;
    }

    static String card(TrainingResult r, long sizeBytes) {
        ModelSchema s = r.schema();
        Evaluation e = r.test();
        StringBuilder md = new StringBuilder();
        md.append("# Model card: ").append(s.modelName()).append("\n\n");
        md.append("| | |\n|---|---|\n");
        row(md, "Algorithm", r.algorithm().id() + " (Tribuo " + Tribuo.VERSION + ")");
        row(md, "Hyperparameters", Trainers.describe(r.algorithm(), r.chosen())
                + (r.cv().isEmpty() ? " (single grid point)" : " (chosen by " + r.selectBy() + ")"));
        row(md, "Trained at", String.valueOf(s.trainedAt()));
        row(md, "Git SHA", String.valueOf(s.gitSha()));
        row(md, "Data SHA-256", String.valueOf(s.dataSha256()));
        row(md, "Rows", r.trainRows() + " train / " + r.testRows() + " test (stratified hold-out)");
        row(md, "Target", s.target() + ", classes " + s.labels()
                + (s.positiveClass() == null ? "" : ", positive class '" + s.positiveClass() + "'"));
        row(md, "Model file", sizeBytes + " bytes, Tribuo protobuf");
        md.append("\n## Features\n\n");
        for (ModelSchema.Input in : s.inputs()) {
            md.append("- `").append(in.name()).append("` ").append(in.type().name().toLowerCase(Locale.ROOT));
            if (in.levels() != null) {
                md.append(" ").append(in.levels());
            }
            md.append('\n');
        }
        md.append("\n## Test metrics\n\n| metric | value |\n|---|---|\n");
        for (Map.Entry<String, Double> m : scalars(r, sizeBytes).entrySet()) {
            row(md, m.getKey(), m.getKey().equals(MetricCatalog.MODEL_SIZE_BYTES)
                    ? Long.toString(m.getValue().longValue()) : fmt(m.getValue()));
        }
        List<String> respelt = e.labels().stream().filter(l -> !MetricCatalog.metricLabel(l).equals(l))
                .map(l -> "'" + l + "' as " + MetricCatalog.metricLabel(l)).toList();
        if (!respelt.isEmpty()) {
            md.append("\nPer-class metric names spell class ").append(String.join(", ", respelt))
                    .append(" (MLflow refuses some characters in metric names).\n");
        }
        md.append("\n### Confusion matrix (rows: actual, columns: predicted)\n\n|  |");
        for (String l : e.labels()) {
            md.append(' ').append(l).append(" |");
        }
        md.append("\n|---|").append("---|".repeat(e.labels().size())).append('\n');
        for (int a = 0; a < e.labels().size(); a++) {
            md.append("| ").append(e.labels().get(a)).append(" |");
            for (long v : e.confusionMatrix()[a]) {
                md.append(' ').append(v).append(" |");
            }
            md.append('\n');
        }
        if (!r.cv().isEmpty()) {
            md.append("\n## Hyperparameter search (").append(r.selectBy()).append(", mean over validation folds)\n\n");
            md.append("| grid point | mean | folds |\n|---|---|---|\n");
            for (TrainingResult.CvScore c : r.cv()) {
                md.append("| ").append(c.description()).append(" | ").append(fmt(c.mean())).append(" | ")
                        .append(c.folds().stream().map(TrainOutputs::fmt).toList()).append(" |\n");
            }
        }
        if (e.fairness() != null) {
            FairnessReport f = e.fairness();
            md.append("\n## Fairness by `").append(f.column()).append("` (positive class '")
                    .append(f.positiveClass()).append("')\n\n");
            md.append("| group | rows | positives | selected | selection rate | true positive rate |\n")
                    .append("|---|---|---|---|---|---|\n");
            for (FairnessReport.Group g : f.groups()) {
                md.append("| ").append(g.name()).append(" | ").append(g.rows()).append(" | ").append(g.positives())
                        .append(" | ").append(g.predictedPositive()).append(" | ").append(fmt(g.selectionRate()))
                        .append(" | ").append(g.truePositiveRate() == null ? "undefined" : fmt(g.truePositiveRate()))
                        .append(" |\n");
            }
            md.append("\nThe disparate impact ratio (min/max selection rate) is the four-fifths rule's figure: ")
                    .append("below 0.8 is conventionally treated as evidence of adverse impact.\n");
        }
        if (!e.notes().isEmpty()) {
            md.append("\n## Notes\n\n");
            e.notes().forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        md.append("\n## Provenance\n\n");
        md.append("- Model class: `").append(r.model().getClass().getName()).append("`\n");
        var trainer = r.model().getProvenance().getTrainerProvenance();
        md.append("- Trainer: `").append(trainer.getClassName()).append("`");
        if (trainer.getConfiguredParameters().get("innerTrainer")
                instanceof com.oracle.labs.mlrg.olcut.provenance.ObjectProvenance inner) {
            md.append(" wrapping `").append(inner.getClassName()).append("` (numeric columns standardised to mean 0, ")
                    .append("sd 1)");
        } else if (r.model() instanceof org.tribuo.transform.TransformedModel) {
            md.append(" (numeric columns standardised to mean 0, sd 1 by the model's own transformers)");
        }
        md.append('\n');
        md.append("- Dataset: ").append(r.model().getProvenance().getDatasetProvenance().getNumExamples())
                .append(" examples, ").append(r.model().getProvenance().getDatasetProvenance().getNumFeatures())
                .append(" features\n");
        md.append("- Full Tribuo provenance is embedded in the model file.\n");
        md.append("\n## Intended use and limitations\n\n");
        md.append("Trained and evaluated on the data set identified above; metrics describe that data's held-out ")
                .append("split only. Check performance on current data before relying on it, and review the ")
                .append("fairness section (if any) for the groups your use affects.\n");
        return md.toString();
    }

    private static void row(StringBuilder md, String k, String v) {
        md.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n");
    }

    static String fmt(Double v) {
        if (v == null || v.isNaN()) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
