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
    void noGridMeansTheAlgorithmsSmallDefaultGrid() {
        // issue 8 §3.7: a one-point default grid made the default cross-validation select nothing
        for (Algorithm a : Algorithm.values()) {
            var points = Trainers.expandGrid(a, Map.of());
            assertThat(points).as(a.id()).hasSizeBetween(2, 6);
            assertThat(points).as(a.id()).doesNotHaveDuplicates();
        }
        assertThat(Trainers.expandGrid(Algorithm.LOGISTIC, Map.of())).extracting(p -> p.get("C"))
                .containsExactly(0.1, 1.0, 10.0);
    }

    @Test
    void defaultGridsAreTheOnesTheReadmeDocuments() {
        // issue 8 §3.7: README "model.grid.<param>" lists these; a change here must change the README too
        assertThat(Trainers.expandGrid(Algorithm.SGD, Map.of())).extracting(p -> Trainers.describe(Algorithm.SGD, p))
                .containsExactly("epochs=10, learningRate=0.01", "epochs=10, learningRate=0.1",
                        "epochs=10, learningRate=1");
        assertThat(Trainers.expandGrid(Algorithm.CART, Map.of())).extracting(p -> Trainers.describe(Algorithm.CART, p))
                .containsExactly("maxDepth=4, minChildWeight=5", "maxDepth=8, minChildWeight=5",
                        "maxDepth=12, minChildWeight=5");
        assertThat(Trainers.expandGrid(Algorithm.FOREST, Map.of()))
                .extracting(p -> Trainers.describe(Algorithm.FOREST, p))
                .containsExactly("trees=50, maxDepth=6", "trees=50, maxDepth=10");
        assertThat(Trainers.expandGrid(Algorithm.XGBOOST, Map.of()))
                .extracting(p -> Trainers.describe(Algorithm.XGBOOST, p))
                .containsExactly("trees=50, maxDepth=3, eta=0.1", "trees=50, maxDepth=3, eta=0.3",
                        "trees=50, maxDepth=6, eta=0.1", "trees=50, maxDepth=6, eta=0.3");
    }

    @Test
    void aGivenGridIsExactlyItsPointsOtherKeysAtTheirSingleDefault() {
        assertThat(Trainers.expandGrid(Algorithm.XGBOOST, Map.of("trees", List.of(50.0))))
                .containsExactly(Map.of("trees", 50.0, "maxDepth", 6.0, "eta", 0.3));
    }

    @Test
    void numbersPrintAsGiven() {
        // issue 8 §3.8: trees=50, not trees=50.0
        assertThat(Trainers.describe(Algorithm.FOREST, Map.of("trees", 50.0, "maxDepth", 8.0)))
                .isEqualTo("trees=50, maxDepth=8");
        assertThat(Trainers.describe(Algorithm.LOGISTIC, Map.of("C", 0.1))).isEqualTo("C=0.1");
        assertThat(Trainers.describe(Algorithm.LOGISTIC, Map.of("C", 1e-6))).isEqualTo("C=0.000001");
        assertThat(Trainers.describe(Algorithm.CART, Map.of("maxDepth", 4.0, "minChildWeight", 5.0)))
                .isEqualTo("maxDepth=4, minChildWeight=5");
        assertThat(Trainers.asNumbers(Algorithm.FOREST, Map.of("trees", 50.0, "maxDepth", 8.0)))
                .containsExactly(Map.entry("trees", 50L), Map.entry("maxDepth", 8L));
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
