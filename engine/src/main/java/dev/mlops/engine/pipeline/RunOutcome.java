package dev.mlops.engine.pipeline;

import dev.mlops.engine.report.CheckReport;
import dev.mlops.engine.tracking.ModelVersion;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** What {@code mlops run} did: how far it got, the exit code, and everything a caller needs to act on it. */
public record RunOutcome(Stage stage, int exitCode, String runId, ModelVersion version, CheckReport gate,
                         CheckReport data, Map<String, Double> chosen, Map<String, Double> metrics,
                         Map<String, Long> timingsMillis, Path outDir,
                         Duration elapsed) {

    /** The last stage reached: DATA (data checks failed), GATE (gate failed), REGISTERED (passed). */
    public enum Stage { DATA, GATE, REGISTERED }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stage", stage.name());
        m.put("passed", exitCode == 0);
        m.put("exitCode", exitCode);
        m.put("runId", runId);
        if (version != null) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("name", version.name());
            v.put("version", version.version());
            v.put("aliases", version.aliases());
            v.put("source", version.source());
            m.put("modelVersion", v);
        }
        m.put("chosen", chosen);
        m.put("metrics", metrics);
        m.put("dataChecksPassed", data == null ? null : data.passed());
        m.put("gatePassed", gate == null ? null : gate.passed());
        m.put("timingsMillis", timingsMillis);
        m.put("outDir", outDir.toString());
        m.put("elapsedSeconds", elapsed.toMillis() / 1000.0);
        return m;
    }
}
