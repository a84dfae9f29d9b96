package dev.mlops.engine.train;

import dev.mlops.engine.InputException;
import dev.mlops.engine.spec.Algorithm;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainersTest {

    @Test
    void gridExpandsEveryCombinationInParameterOrder() {
        var points = Trainers.expandGrid(Algorithm.XGBOOST, Map.of("eta", List.of(0.1, 0.3),
                "trees", List.of(10.0, 20.0)));
        // trees varies slowest (declared first), maxDepth takes its default 6, eta fastest
        assertThat(points).extracting(p -> Trainers.describe(Algorithm.XGBOOST, p)).containsExactly(
                "trees=10, maxDepth=6, eta=0.1", "trees=10, maxDepth=6, eta=0.3",
                "trees=20, maxDepth=6, eta=0.1", "trees=20, maxDepth=6, eta=0.3");
    }

    @Test
    void defaultsWhenTheGridIsEmpty() {
        assertThat(Trainers.expandGrid(Algorithm.LOGISTIC, Map.of())).containsExactly(Map.of("C", 1.0));
    }

    @Test
    void rejectsEmptyListsAndOutOfRangeValues() {
        assertThatThrownBy(() -> Trainers.expandGrid(Algorithm.LOGISTIC, Map.of("C", List.of())))
                .isInstanceOf(InputException.class).hasMessageContaining("model.grid.C");
        assertThatThrownBy(() -> Trainers.expandGrid(Algorithm.LOGISTIC, Map.of("C", List.of(0.0))))
                .isInstanceOf(InputException.class).hasMessageContaining("model.grid.C")
                .hasMessageContaining("greater than 0");
        assertThatThrownBy(() -> Trainers.expandGrid(Algorithm.XGBOOST, Map.of("eta", List.of(1.5))))
                .isInstanceOf(InputException.class).hasMessageContaining("at most 1");
        assertThatThrownBy(() -> Trainers.expandGrid(Algorithm.SGD, Map.of("C", List.of(1.0))))
                .isInstanceOf(InputException.class).hasMessageContaining("model.grid.C")
                .hasMessageContaining("[epochs, learningRate]");
    }
}
