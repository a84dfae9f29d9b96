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
    /** Random forest of CART trees; grid keys {@code trees}, {@code maxDepth}. */
    FOREST,
    /** XGBoost gradient-boosted trees; grid keys {@code trees}, {@code maxDepth}, {@code eta}. */
    XGBOOST;

    @JsonCreator
    public static Algorithm parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
