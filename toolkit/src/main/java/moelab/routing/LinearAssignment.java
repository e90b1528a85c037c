package moelab.routing;

import java.util.Arrays;

/**
 * BASE layers' balanced assignment solved exactly (Lewis et al. 2021): given scores {@code s[t][e]}
 * of {@code T} tokens for {@code E} experts, with {@code E} dividing {@code T}, find the assignment
 * {@code a} that maximises {@code Σ_t s[t][a_t]} subject to every expert receiving exactly
 * {@code T/E} tokens.
 *
 * <p>It is a linear assignment problem once each expert is written as {@code T/E} identical
 * slots: a {@code T × T} matrix, token {@code t} in slot {@code j} scoring {@code s[t][j / (T/E)]}.
 * This class solves it with the Hungarian algorithm (Kuhn–Munkres with potentials, shortest
 * augmenting paths), {@code O(T³)} time and {@code O(T)} memory besides the scores; the BASE paper
 * uses an auction algorithm for large batches. {@link BaseRouter} solves the same problem greedily.
 */
public final class LinearAssignment {

    private LinearAssignment() {}

    /**
     * @param scores {@code (T, E)} scores, {@code E} dividing {@code T}
     * @return {@code (T)} the expert of each token; every expert appears exactly {@code T/E} times
     *     and the total score is the largest possible
     * @throws IllegalArgumentException when the rows are ragged or {@code E} does not divide {@code T}
     */
    public static int[] balanced(float[][] scores) {
        int n = scores.length;
        if (n == 0) {
            return new int[0];
        }
        int perExpert = n / experts(scores);
        // Hungarian algorithm minimising cost(i, j) = -scores[i][j / perExpert], 1-based as usual:
        // u, v are the row and column potentials, slotToken[j] the token in slot j (0 = none).
        double[] u = new double[n + 1];
        double[] v = new double[n + 1];
        int[] slotToken = new int[n + 1];
        int[] way = new int[n + 1];
        double[] minv = new double[n + 1];
        boolean[] used = new boolean[n + 1];
        for (int i = 1; i <= n; i++) {
            slotToken[0] = i;
            int j0 = 0;
            Arrays.fill(minv, Double.POSITIVE_INFINITY);
            Arrays.fill(used, false);
            do {
                used[j0] = true;
                int i0 = slotToken[j0];
                int j1 = 0;
                double delta = Double.POSITIVE_INFINITY;
                for (int j = 1; j <= n; j++) {
                    if (!used[j]) {
                        double reduced = -scores[i0 - 1][(j - 1) / perExpert] - u[i0] - v[j];
                        if (reduced < minv[j]) {
                            minv[j] = reduced;
                            way[j] = j0;
                        }
                        if (minv[j] < delta) {
                            delta = minv[j];
                            j1 = j;
                        }
                    }
                }
                for (int j = 0; j <= n; j++) {
                    if (used[j]) {
                        u[slotToken[j]] += delta;
                        v[j] -= delta;
                    } else {
                        minv[j] -= delta;
                    }
                }
                j0 = j1;
            } while (slotToken[j0] != 0);
            do {
                int j1 = way[j0];
                slotToken[j0] = slotToken[j1];
                j0 = j1;
            } while (j0 != 0);
        }
        int[] expert = new int[n];
        for (int j = 1; j <= n; j++) {
            expert[slotToken[j] - 1] = (j - 1) / perExpert;
        }
        return expert;
    }

    /** {@code E} of a {@code (T, E)} score matrix whose {@code E} divides {@code T}. */
    private static int experts(float[][] scores) {
        int experts = scores[0].length;
        for (float[] row : scores) {
            if (row.length != experts) {
                throw new IllegalArgumentException("scores must be a (T, E) matrix; rows have "
                        + experts + " and " + row.length + " entries");
            }
        }
        if (experts < 1 || scores.length % experts != 0) {
            throw new IllegalArgumentException("a balanced assignment of T=" + scores.length
                    + " tokens to E=" + experts + " experts needs E to divide T");
        }
        return experts;
    }

    /** {@code Σ_t scores[t][assignment[t]]}, in double precision. */
    public static double total(float[][] scores, int[] assignment) {
        double sum = 0;
        for (int t = 0; t < assignment.length; t++) {
            sum += scores[t][assignment[t]];
        }
        return sum;
    }
}
