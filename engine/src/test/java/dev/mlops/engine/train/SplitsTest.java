package dev.mlops.engine.train;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

class SplitsTest {
    // 100 rows: rows 0..69 class 0, rows 70..99 class 1
    static final int[] ROWS = IntStream.range(0, 100).toArray();
    static final int[] KLASS = IntStream.range(0, 100).map(i -> i < 70 ? 0 : 1).toArray();

    @Test
    void stratifiedHoldOutKeepsClassProportions() {
        Splits.Split s = Splits.stratified(ROWS, KLASS, 2, 0.2, 42);
        // round(70 * 0.2) = 14 and round(30 * 0.2) = 6
        assertThat(s.test()).hasSize(20);
        assertThat(Arrays.stream(s.test()).filter(r -> r >= 70).count()).isEqualTo(6);
        assertThat(s.train()).hasSize(80);
        Set<Integer> all = new HashSet<>();
        Arrays.stream(s.train()).forEach(all::add);
        Arrays.stream(s.test()).forEach(all::add);
        assertThat(all).hasSize(100);
        assertThat(s.test()).isSorted();
    }

    @Test
    void sameSeedSameSplitOtherSeedOtherSplit() {
        assertThat(Splits.stratified(ROWS, KLASS, 2, 0.2, 42).test())
                .isEqualTo(Splits.stratified(ROWS, KLASS, 2, 0.2, 42).test());
        assertThat(Splits.stratified(ROWS, KLASS, 2, 0.2, 43).test())
                .isNotEqualTo(Splits.stratified(ROWS, KLASS, 2, 0.2, 42).test());
    }

    @Test
    void neverHoldsOutAWholeClass() {
        int[] rows = {0, 1, 2};
        int[] klass = {0, 0, 1};
        Splits.Split s = Splits.stratified(rows, klass, 2, 0.9, 1);
        assertThat(s.train()).contains(2);
    }

    @Test
    void foldsPartitionTheRowsAndBalanceClasses() {
        List<Splits.Split> folds = Splits.folds(ROWS, KLASS, 2, 5, 7);
        assertThat(folds).hasSize(5);
        int[] seen = new int[100];
        for (Splits.Split f : folds) {
            assertThat(f.test().length + f.train().length).isEqualTo(100);
            Arrays.stream(f.test()).forEach(r -> seen[r]++);
            // 70 / 5 = 14 of class 0 and 30 / 5 = 6 of class 1 in every fold
            assertThat(Arrays.stream(f.test()).filter(r -> r < 70).count()).isEqualTo(14);
            assertThat(Arrays.stream(f.test()).filter(r -> r >= 70).count()).isEqualTo(6);
        }
        assertThat(seen).containsOnly(1);
    }
}
