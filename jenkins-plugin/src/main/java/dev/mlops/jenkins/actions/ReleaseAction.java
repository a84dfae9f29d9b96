package dev.mlops.jenkins.actions;

import dev.mlops.jenkins.ResultMaps;

import java.util.Map;

/** blueGreenDeploy and mlRollback: the release record (color, versions, image, outcome) and where traffic is. */
public final class ReleaseAction extends MlopsAction {
    private final String environment;
    private final String kind;
    private final String id;
    private final String app;
    private final String color;
    private final String image;
    private final String modelName;
    private final String modelVersion;
    private final String gitSha;
    private final String outcome;
    private final String reason;
    private final String previousRelease;
    private final String alias;
    private final String target;
    private final String trafficOn;
    private final String startedAt;
    private final String finishedAt;

    /** {@code result}: a ReleaseResult (release{...}, target, trafficOn). */
    public ReleaseAction(Map<String, Object> result) {
        super("mlops-" + envOf(result));
        this.environment = envOf(result);
        this.kind = str(result, "kind");
        this.id = str(result, "id");
        this.app = str(result, "app");
        this.color = str(result, "color");
        this.image = str(result, "image");
        this.modelName = str(result, "modelName");
        this.modelVersion = str(result, "modelVersion");
        this.gitSha = str(result, "gitSha");
        this.outcome = str(result, "outcome");
        this.reason = str(result, "reason");
        this.previousRelease = str(result, "previousRelease");
        this.alias = str(result, "alias");
        this.startedAt = str(result, "startedAt");
        this.finishedAt = str(result, "finishedAt");
        this.target = ResultMaps.str(result, "target");
        this.trafficOn = ResultMaps.str(result, "trafficOn");
    }

    private static String str(Map<String, Object> result, String field) {
        return ResultMaps.str(result, "release", field);
    }

    private static String envOf(Map<String, Object> result) {
        String e = str(result, "environment");
        return e == null ? "production" : e;
    }

    @Override
    public String getDisplayName() {
        return ("rollback".equals(kind) ? "Rollback" : "Release") + " (" + environment + ")";
    }

    @Override
    protected String icon() {
        return "release";
    }

    public boolean isSucceeded() {
        return "SUCCEEDED".equals(outcome);
    }

    public String getEnvironment() {
        return environment;
    }

    public String getKind() {
        return kind;
    }

    public String getId() {
        return id;
    }

    public String getApp() {
        return app;
    }

    public String getColor() {
        return color;
    }

    public String getImage() {
        return image;
    }

    public String getModelName() {
        return modelName;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public String getGitSha() {
        return gitSha;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getReason() {
        return reason;
    }

    public String getPreviousRelease() {
        return previousRelease;
    }

    public String getAlias() {
        return alias;
    }

    public String getTarget() {
        return target;
    }

    public String getTrafficOn() {
        return trafficOn;
    }

    public String getStartedAt() {
        return startedAt;
    }

    public String getFinishedAt() {
        return finishedAt;
    }
}
