package dev.mlops.engine.report;

/** Outcome of one check. Only FAIL fails a report; WARN is shown but passes; SKIP says a check did not apply. */
public enum Verdict { PASS, WARN, FAIL, SKIP }
