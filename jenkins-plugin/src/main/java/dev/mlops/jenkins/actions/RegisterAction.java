package dev.mlops.jenkins.actions;

import dev.mlops.jenkins.ResultMaps;

import java.util.Map;

/** mlRegister: the new registered model version and the alias pointed at it. */
public final class RegisterAction extends MlopsAction {
    private final String name;
    private final String version;
    private final String alias;
    private final String runId;
    private final String modelSha256;

    public RegisterAction(Map<String, Object> registerResult) {
        super("mlops-model");
        this.name = ResultMaps.str(registerResult, "name");
        this.version = ResultMaps.str(registerResult, "version");
        this.alias = ResultMaps.str(registerResult, "alias");
        this.runId = ResultMaps.str(registerResult, "runId");
        this.modelSha256 = ResultMaps.str(registerResult, "modelSha256");
    }

    @Override
    public String getDisplayName() {
        return "Registered model";
    }

    @Override
    protected String icon() {
        return "model";
    }

    public String getName() {
        return name;
    }

    public String getVersion() {
        return version;
    }

    public String getAlias() {
        return alias;
    }

    public String getRunId() {
        return runId;
    }

    public String getModelSha256() {
        return modelSha256;
    }
}
