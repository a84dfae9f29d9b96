package dev.mlops.jenkins.actions;

import java.util.Map;

/** mlValidateData (and the data checks mlTrain runs first): the verdict and the failing checks. */
public final class DataCheckAction extends CheckReportAction {
    public DataCheckAction(Map<String, Object> validateDataResult) {
        super("mlops-data", validateDataResult);
    }

    @Override
    public String getDisplayName() {
        return "Data checks";
    }

    @Override
    protected String icon() {
        return "data";
    }
}
