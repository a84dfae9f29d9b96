package dev.mlops.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Stratified, seeded splits over row indices. Each class's rows are shuffled with a generator derived from the seed
 * and cut in proportion, so every part keeps the class balance of the whole and the same seed always gives the same
 * parts. Returned index arrays are sorted (rows keep their table order inside a part).
 */
public final class Splits {
    private Splits() {
    }

    /** Rows used to fit and rows held out. */
    public record Split(int[] train, int[] test) {
    }

    /**
     * Holds out round(n_c * fraction) rows of each class c, but never all of a class's rows.
     *
     * @param rows  the row indices to split
     * @param klass the class of each entry of {@code rows} (0..classes-1)
     */
    public static Split stratified(int[] rows, int[] klass, int classes, double fraction, long seed) {
        List<int[]> byClass = shuffledByClass(rows, klass, classes, seed);
        int[] train = new int[rows.length];
        int[] test = new int[rows.length];
        int nTrain = 0;
        int nTest = 0;
        for (int[] members : byClass) {
            int held = (int) Math.round(members.length * fraction);
            held = Math.min(held, members.length - 1);
            for (int i = 0; i < members.length; i++) {
                if (i < held) {
                    test[nTest++] = members[i];
                } else {
                    train[nTrain++] = members[i];
                }
            }
        }
        return new Split(sorted(train, nTrain), sorted(test, nTest));
    }

    /**
     * k stratified folds: each class's shuffled rows are dealt round-robin over the folds, continuing where the
     * previous class stopped so fold sizes differ by at most one. Fold f validates on its rows and trains on the rest.
     */
    public static List<Split> folds(int[] rows, int[] klass, int classes, int k, long seed) {
        List<int[]> byClass = shuffledByClass(rows, klass, classes, seed);
        int[] foldOf = new int[rows.length];
        int[] position = new int[rows.length];
        int next = 0;
        int p = 0;
        for (int[] members : byClass) {
            for (int r : members) {
                position[p] = r;
                foldOf[p] = next;
                next = (next + 1) % k;
                p++;
            }
        }
        List<Split> out = new ArrayList<>(k);
        for (int f = 0; f < k; f++) {
            int[] train = new int[rows.length];
            int[] test = new int[rows.length];
            int nTrain = 0;
            int nTest = 0;
            for (int i = 0; i < p; i++) {
                if (foldOf[i] == f) {
                    test[nTest++] = position[i];
                } else {
                    train[nTrain++] = position[i];
                }
            }
            out.add(new Split(sorted(train, nTrain), sorted(test, nTest)));
        }
        return out;
    }

    /** Rows of each class, in row order, then shuffled by one generator seeded once (class order is fixed). */
    private static List<int[]> shuffledByClass(int[] rows, int[] klass, int classes, long seed) {
        int[] counts = new int[classes];
        for (int c : klass) {
            counts[c]++;
        }
        int[][] members = new int[classes][];
        for (int c = 0; c < classes; c++) {
            members[c] = new int[counts[c]];
        }
        int[] fill = new int[classes];
        for (int i = 0; i < rows.length; i++) {
            members[klass[i]][fill[klass[i]]++] = rows[i];
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        List<int[]> out = new ArrayList<>(classes);
        for (int[] m : members) {
            for (int i = m.length - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = m[i];
                m[i] = m[j];
                m[j] = t;
            }
            out.add(m);
        }
        return out;
    }

    private static int[] sorted(int[] a, int n) {
        int[] out = Arrays.copyOf(a, n);
        Arrays.sort(out);
        return out;
    }
}
