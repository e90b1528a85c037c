package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CausalBaseRouterTest {

    /**
     * Scores (4 tokens, 2 experts, capacity 2): token 0 prefers e0 (5 > 4) and takes it; token 1
     * prefers e0 and takes its last place; tokens 2 and 3 find e0 full and go to e1, though token
     * 2 scores 4 on e0. BASE's batch-wide greedy solution would give token 0 to e1 instead.
     */
    @Test
    void handWorkedOnlineAssignment() {
        float[][] scores = {{5, 4}, {4, 0}, {4, 0}, {0, 0}};
        try (NDManager manager = NDManager.newBaseManager()) {
            Routing training = new CausalBaseRouter().route(manager.create(scores), true);
            assertThat(Arrays.deepToString(training.experts()))
                    .isEqualTo("[[0], [0], [1], [1]]");
            assertThat(training.capacity()).isEqualTo(2);
            Routing evaluation = new CausalBaseRouter().route(manager.create(scores), false);
            assertThat(Arrays.deepToString(evaluation.experts()))
                    .as("evaluation: each token's best expert").isEqualTo("[[0], [0], [0], [0]]");
        }
    }

    /** Every token gets an expert, no expert more than ceil(T/E), and later scores never move earlier tokens. */
    @Test
    void balancedAndDecidedInItemOrder() {
        Random random = new Random(3);
        int items = 37;
        int experts = 4;
        for (int trial = 0; trial < 20; trial++) {
            float[] score = new float[items * experts];
            for (int i = 0; i < score.length; i++) {
                score[i] = (float) random.nextGaussian();
            }
            int capacity = Capacity.of(1, items, 1.0, experts);
            long[] choice = CausalBaseRouter.online(score, items, experts, capacity);
            int[] load = new int[experts];
            for (long e : choice) {
                load[(int) e]++;
            }
            assertThat(Arrays.stream(load).max().getAsInt())
                    .as("largest load of %s, capacity %d", Arrays.toString(load), capacity)
                    .isLessThanOrEqualTo(capacity);
            assertThat(Arrays.stream(load).sum()).as("tokens assigned").isEqualTo(items);
            int cut = random.nextInt(items);
            float[] changed = score.clone();
            for (int i = (cut + 1) * experts; i < changed.length; i++) {
                changed[i] = (float) random.nextGaussian() * 100;
            }
            long[] after = CausalBaseRouter.online(changed, items, experts, capacity);
            assertThat(Arrays.toString(Arrays.copyOf(after, cut + 1)))
                    .as("tokens 0..%d after changing the scores of later tokens", cut)
                    .isEqualTo(Arrays.toString(Arrays.copyOf(choice, cut + 1)));
        }
    }
}
