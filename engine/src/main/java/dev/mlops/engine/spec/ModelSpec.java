package dev.mlops.engine.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What to train. {@code grid} maps hyperparameter names to candidate values (every combination is tried);
 * selection uses {@code folds}-fold cross-validation, or a single validation split of {@code validationSplit} when
 * {@code folds} is 1. {@code testSplit} is held out once, before any selection, for the final evaluation.
 * {@code selectBy} is the metric that picks the grid point. Everything is deterministic for a given {@code seed}.
 * {@code maxClasses} bounds the number of distinct target values accepted: more is refused before training.
 */
public record ModelSpec(Algorithm algorithm, Boolean standardize, Long seed, Map<String, List<Double>> grid,
                        Integer folds, Double validationSplit, Double testSplit, String selectBy, Integer maxClasses) {
    /** The default bound on classes: enough for any ordinary classification problem, refusing ids and prices. */
    public static final int DEFAULT_MAX_CLASSES = 100;

    @com.fasterxml.jackson.annotation.JsonCreator
    public ModelSpec {
        algorithm = algorithm == null ? Algorithm.LOGISTIC : algorithm;
        standardize = standardize == null ? Boolean.TRUE : standardize;
        seed = seed == null ? 42L : seed;
        grid = grid == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(grid));
        folds = folds == null ? 5 : folds;
        validationSplit = validationSplit == null ? 0.2 : validationSplit;
        testSplit = testSplit == null ? 0.2 : testSplit;
        selectBy = selectBy == null ? "f1_macro" : selectBy;
        maxClasses = maxClasses == null ? DEFAULT_MAX_CLASSES : maxClasses;
    }

    /** Everything but the class bound, which takes its default. */
    public ModelSpec(Algorithm algorithm, Boolean standardize, Long seed, Map<String, List<Double>> grid,
                     Integer folds, Double validationSplit, Double testSplit, String selectBy) {
        this(algorithm, standardize, seed, grid, folds, validationSplit, testSplit, selectBy, null);
    }

    public static ModelSpec defaults() {
        return new ModelSpec(null, null, null, null, null, null, null, null, null);
    }
}
