package dev.mlops.jenkins.actions;

import dev.mlops.jenkins.ResultMaps;

import java.util.Map;

/** mlGate: the verdict, the baseline it compared against, and one row per bound of the policy. */
public final class GateAction extends CheckReportAction {
    private final String baseline;

    public GateAction(Map<String, Object> gateResult) {
        super("mlops-gate", gateResult);
        this.baseline = ResultMaps.str(gateResult, "baseline");
    }

    @Override
    public String getDisplayName() {
        return "Model gate";
    }

    @Override
    protected String icon() {
        return "gate";
    }

    public String getBaseline() {
        return baseline;
    }
}
