package dev.mlops.engine.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.util.List;

/** One failed gate check: which bound on which metric, the candidate and baseline values, the rule and why. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"name", "subject", "candidate", "baseline", "rule", "message"})
public record GateFailure(String name, String subject, Double candidate, Double baseline, String rule, String message)
        implements Serializable {

    static List<GateFailure> of(Report report) {
        return report == null ? List.of() : report.failures().stream().map(r -> new GateFailure(r.name(), r.subject(),
                r.candidate(), r.baseline(), r.rule(), r.message())).toList();
    }
}
