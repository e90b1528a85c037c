package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

/**
 * {@code capacityFactor <= 0}: nothing is dropped, and the buffers hold the batch's largest expert
 * load rounded up to a multiple of 8 (at most T), not T rows per expert.
 */
class DroplessCapacityTest {

    /** {@code tokens} one-hot logits: item t prefers expert {@code preferred[t]}. */
    private static NDArray logits(NDManager manager, int[] preferred, int experts) {
        float[][] logits = new float[preferred.length][experts];
        for (int t = 0; t < preferred.length; t++) {
            logits[t][preferred[t]] = 5;
        }
        return manager.create(logits);
    }

    @Test
    void capacityIsTheLargestLoadRoundedUpToEight() {
        int[] preferred = new int[40]; // expert 0: 11 items, expert 1: 20, expert 2: 9
        for (int t = 0; t < 40; t++) {
            preferred[t] = t < 11 ? 0 : t < 31 ? 1 : 2;
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            Routing r = new SwitchRouter(0).route(logits(manager, preferred, 3), false);
            assertThat(r.capacity()).as("largest load 20 rounded up to 24, not T = 40")
                    .isEqualTo(24);
            assertThat(r.expertLoad()).containsExactly(11, 20, 9);
            assertThat(r.dropped()).isZero();
            r.validate();
        }
    }

    @Test
    void capacityIsClampedToTheNumberOfItems() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Routing r = new SwitchRouter(-1).route(logits(manager, new int[] {2, 2, 2, 2, 2}, 4),
                    false);
            assertThat(r.capacity()).as("load 5 rounds up to 8, clamped to T = 5").isEqualTo(5);
            assertThat(r.positions()).isEqualTo(new int[][] {{0}, {1}, {2}, {3}, {4}});
        }
    }

    @Test
    void top2CountsBothSlotsAndKeepsEveryAssignment() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray logits = manager.randomNormal(new ai.djl.ndarray.types.Shape(64, 8));
            Routing r = new GShardRouter(0).route(logits, false);
            int maxLoad = java.util.Arrays.stream(r.expertLoad()).max().orElseThrow();
            assertThat(r.capacity()).isEqualTo(Math.min(64, (maxLoad + 7) / 8 * 8));
            assertThat(r.dropped()).isZero();
            assertThat(r.assigned()).isEqualTo(128);
        }
    }

    @Test
    void theFactorAloneStillBoundsDroplessCapacityByT() {
        assertThat(Capacity.of(1, 4, 0, 3)).isEqualTo(4);
        assertThat(Capacity.of(2, 100, -1, 8)).isEqualTo(100);
    }
}
