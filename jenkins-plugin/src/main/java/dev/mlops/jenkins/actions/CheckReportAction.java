package dev.mlops.jenkins.actions;

import dev.mlops.jenkins.ResultMaps;

import java.util.List;
import java.util.Map;

/** What data checks and the gate share on the build page: a verdict, counts, and the report's rows. */
public abstract class CheckReportAction extends MlopsAction {
    private final boolean passed;
    private final String title;
    private final int total;
    private final int failed;
    private final int warnings;
    private final int skipped;
    private final List<CheckRow> rows;
    private final String reportMarkdown;
    private final String junitXml;

    /** {@code result}: a ValidateDataResult or GateResult (passed, report{title, counts, checks}, reports). */
    protected CheckReportAction(String urlName, Map<String, Object> result) {
        super(urlName);
        this.passed = ResultMaps.bool(result, "passed");
        this.title = ResultMaps.str(result, "report", "title");
        this.total = count(result, "total");
        this.failed = count(result, "fail");
        this.warnings = count(result, "warn");
        this.skipped = count(result, "skip");
        this.rows = CheckRow.of(ResultMaps.rows(result, "report", "checks"));
        this.reportMarkdown = ResultMaps.str(result, "reports", "markdown");
        this.junitXml = ResultMaps.str(result, "reports", "junitXml");
    }

    private static int count(Map<String, Object> result, String key) {
        Object v = ResultMaps.at(result, "report", "counts", key);
        return v instanceof Number n ? n.intValue() : 0;
    }

    public boolean isPassed() {
        return passed;
    }

    public String getTitle() {
        return title;
    }

    public int getTotal() {
        return total;
    }

    public int getFailed() {
        return failed;
    }

    public int getWarnings() {
        return warnings;
    }

    public int getSkipped() {
        return skipped;
    }

    public List<CheckRow> getRows() {
        return rows;
    }

    public List<CheckRow> getFailedRows() {
        return rows.stream().filter(CheckRow::isFailed).toList();
    }

    public String getReportMarkdown() {
        return reportMarkdown;
    }

    public String getJunitXml() {
        return junitXml;
    }
}
