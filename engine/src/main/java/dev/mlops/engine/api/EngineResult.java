package dev.mlops.engine.api;

import java.io.Serializable;

/**
 * What every engine operation returns: a serializable record with one JSON form ({@code Json.write(result)}), whose
 * {@link #exitCode()} is 0 when everything passed and 1 when a check, the gate or a release failed.
 */
public interface EngineResult extends Serializable {
    int exitCode();
}
