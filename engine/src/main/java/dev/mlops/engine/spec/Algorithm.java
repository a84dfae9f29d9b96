package dev.mlops.engine.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Named trainer configurations. */
public enum Algorithm {
    /** LibLinear L2-regularised logistic regression; grid key {@code C}. */
    LOGISTIC,
    /** Linear model trained by SGD with log loss (AdaGrad); grid keys {@code epochs}, {@code learningRate}. */
    SGD,
    /** CART decision tree; grid keys {@code maxDepth}, {@code minChildWeight}. */
    CART,
    /** Random forest (XGBoost's random-forest mode); grid keys {@code trees}, {@code maxDepth}. */
    FOREST,
    /** XGBoost gradient-boosted trees; grid keys {@code trees}, {@code maxDepth}, {@code eta}. */
    XGBOOST;

    @JsonCreator
    public static Algorithm parse(String s) {
        for (var v : values()) {
            if (v.name().equals(s.trim().toUpperCase(Locale.ROOT))) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown value '" + s + "'; expected one of "
                + java.util.Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
