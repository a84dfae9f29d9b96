package dev.mlops.engine.model;

import dev.mlops.engine.InputException;

/** A request or row does not fit the model's inputs; the message names the input and what was expected. */
public class FeatureException extends InputException {
    public FeatureException(String message) {
        super(message);
    }
}
