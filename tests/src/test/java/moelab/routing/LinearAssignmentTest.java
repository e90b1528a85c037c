package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The exact balanced assignment: hand-worked cases, brute force on tiny ones, never below greedy. */
class LinearAssignmentTest {

    @Test
    void beatsGreedyOnTheHandWorkedCase() {
        // greedy takes (t0, e0) = 5 first and ends with 5 + 4 + 0 + 0 = 9; the optimum is 4 + 4 + 4 + 0
        float[][] scores = {{5, 4}, {4, 0}, {4, 0}, {0, 0}};
        int[] a = LinearAssignment.balanced(scores);
        assertThat(a).containsExactly(1, 0, 0, 1);
        assertThat(LinearAssignment.total(scores, a)).isEqualTo(12.0);
    }

    @Test
    void solvesAPermutationProblem() {
        assertThat(LinearAssignment.balanced(new float[][] {{9, 2, 7}, {6, 4, 3}, {5, 8, 1}})).containsExactly(2, 0, 1);
    }

    @Test
    void equalsBruteForceOnTinyCases() {
        Random random = new Random(1);
        int[][] sizes = {{4, 2}, {6, 3}, {8, 2}, {8, 4}, {6, 6}};
        for (int[] size : sizes) {
            for (int rep = 0; rep < 5; rep++) {
                float[][] scores = new float[size[0]][size[1]];
                for (float[] row : scores) {
                    for (int e = 0; e < row.length; e++) {
                        row[e] = rep % 2 == 0 ? random.nextInt(3) : (float) random.nextGaussian() * 1000;
                    }
                }
                int[] a = LinearAssignment.balanced(scores);
                int[] load = new int[size[1]];
                for (int e : a) {
                    load[e]++;
                }
                assertThat(load).as(Arrays.deepToString(scores)).containsOnly(size[0] / size[1]);
                int[] room = new int[size[1]];
                Arrays.fill(room, size[0] / size[1]);
                assertThat(LinearAssignment.total(scores, a)).as(Arrays.deepToString(scores))
                        .isCloseTo(best(scores, 0, room), within(1e-3));
            }
        }
    }

    @Test
    void neverWorseThanTheGreedyBaseRouter() {
        Random random = new Random(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (int[] size : new int[][] {{64, 4}, {128, 8}}) {
                float[][] scores = new float[size[0]][size[1]];
                for (float[] row : scores) {
                    for (int e = 0; e < row.length; e++) {
                        row[e] = (float) random.nextGaussian();
                    }
                }
                int[][] greedy = new BaseRouter().route(manager.create(scores), null, true).experts();
                int[] greedyFlat = Arrays.stream(greedy).mapToInt(r -> r[0]).toArray();
                assertThat(LinearAssignment.total(scores, LinearAssignment.balanced(scores)))
                        .isGreaterThanOrEqualTo(LinearAssignment.total(scores, greedyFlat) - 1e-6);
            }
        }
    }

    @Test
    void rejectsUnevenSplits() {
        assertThatThrownBy(() -> LinearAssignment.balanced(new float[][] {{1, 2}, {3, 4}, {5, 6}}))
                .hasMessageContaining("E to divide T");
    }

    private static double best(float[][] scores, int token, int[] room) {
        if (token == scores.length) {
            return 0;
        }
        double best = Double.NEGATIVE_INFINITY;
        for (int e = 0; e < room.length; e++) {
            if (room[e] > 0) {
                room[e]--;
                best = Math.max(best, scores[token][e] + best(scores, token + 1, room));
                room[e]++;
            }
        }
        return best;
    }
}
