package dev.mlops.jenkins.actions;

import dev.mlops.jenkins.ResultMaps;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** mlTrain: the MLflow run (with a link when the server has a UI), the chosen parameters and the test metrics. */
public final class TrainAction extends MlopsAction {
    /** Shown in the summary row when present, in this order. */
    static final List<String> KEY_METRICS = List.of("accuracy", "f1_macro", "roc_auc", "log_loss");

    private final String runId;
    private final String runUrl;
    private final String algorithm;
    private final String model;
    private final String modelSha256;
    private final String trainRows;
    private final String testRows;
    private final boolean dataChecksPassed;
    private final LinkedHashMap<String, String> chosen = new LinkedHashMap<>();
    private final LinkedHashMap<String, String> metrics = new LinkedHashMap<>();

    public TrainAction(Map<String, Object> trainResult) {
        super("mlops-train");
        this.runId = ResultMaps.str(trainResult, "runId");
        this.runUrl = ResultMaps.str(trainResult, "runUrl");
        this.algorithm = ResultMaps.str(trainResult, "algorithm");
        this.model = ResultMaps.str(trainResult, "model");
        this.modelSha256 = ResultMaps.str(trainResult, "modelSha256");
        this.trainRows = num(ResultMaps.at(trainResult, "trainRows"));
        this.testRows = num(ResultMaps.at(trainResult, "testRows"));
        this.dataChecksPassed = ResultMaps.bool(trainResult, "dataChecks", "passed");
        ResultMaps.map(trainResult, "chosen").forEach((k, v) -> chosen.put(k, num(v)));
        ResultMaps.map(trainResult, "metrics").forEach((k, v) -> metrics.put(k, num(v)));
    }

    @Override
    public String getDisplayName() {
        return "Training run";
    }

    @Override
    protected String icon() {
        return "train";
    }

    public String getRunId() {
        return runId;
    }

    /** Only http(s) links are rendered as links. */
    public String getRunUrl() {
        return runUrl != null && runUrl.matches("(?i)https?://.*") ? runUrl : null;
    }

    public String getAlgorithm() {
        return algorithm;
    }

    public String getModel() {
        return model;
    }

    public String getModelSha256() {
        return modelSha256;
    }

    public String getTrainRows() {
        return trainRows;
    }

    public String getTestRows() {
        return testRows;
    }

    public boolean isDataChecksPassed() {
        return dataChecksPassed;
    }

    public Map<String, String> getChosen() {
        return chosen;
    }

    public Map<String, String> getMetrics() {
        return metrics;
    }

    /** "accuracy 0.9912, f1_macro 0.9905, roc_auc 0.9993" */
    public String getKeyMetrics() {
        List<String> parts = new ArrayList<>();
        for (String k : KEY_METRICS) {
            if (metrics.containsKey(k)) {
                parts.add(k + " " + metrics.get(k));
            }
        }
        return String.join(", ", parts);
    }

    /** "C=0.1" */
    public String getChosenText() {
        List<String> parts = new ArrayList<>();
        chosen.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }
}
