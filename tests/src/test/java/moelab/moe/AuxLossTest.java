package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import moelab.routing.Routing;
import org.junit.jupiter.api.Test;

/** Aux losses on hand-made routings of 2 tokens over 2 experts. */
class AuxLossTest {

    private static Routing routing(NDManager m, float[][] probs, float[][] logits, float[][] load,
            int[][] experts) {
        int[][] positions = new int[experts.length][1];
        for (int t = 0; t < experts.length; t++) {
            positions[t][0] = t; // capacity 2: each token its own row
        }
        return new Routing(2, 2, experts, positions, m.ones(new ai.djl.ndarray.types.Shape(2, 1)),
                m.create(probs), m.create(logits), load == null ? null : m.create(load));
    }

    @Test
    void importanceIsZeroWhenBalancedAndOneWhenCollapsed() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] z = {{0, 0}, {0, 0}};
            Routing balanced = routing(m, new float[][] {{0.7f, 0.3f}, {0.3f, 0.7f}}, z, null,
                    new int[][] {{0}, {1}});
            Routing collapsed = routing(m, new float[][] {{1, 0}, {1, 0}}, z, null,
                    new int[][] {{0}, {0}});
            // importance (1, 1): CV² = 0. importance (2, 0): mean 1, variance 1, CV² = 1.
            assertThat(new ImportanceLoss().compute(balanced).getFloat()).isCloseTo(0f, within(1e-6f));
            assertThat(new ImportanceLoss().compute(collapsed).getFloat()).isCloseTo(1f, within(1e-6f));
        }
    }

    @Test
    void loadUsesTheNoisySelectionProbabilityAndIsZeroWithoutNoise() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] p = {{0.5f, 0.5f}, {0.5f, 0.5f}};
            float[][] z = {{0, 0}, {0, 0}};
            Routing skewed = routing(m, p, z, new float[][] {{0.9f, 0.1f}, {0.7f, 0.3f}},
                    new int[][] {{0}, {0}});
            // load (1.6, 0.4): mean 1, variance 0.36, CV² = 0.36
            assertThat(new LoadLoss().compute(skewed).getFloat()).isCloseTo(0.36f, within(1e-6f));
            assertThat(new LoadLoss().compute(routing(m, p, z, null, new int[][] {{0}, {0}}))
                    .getFloat()).isZero();
        }
    }

    @Test
    void switchBalanceIsOneWhenUniformAndTwoWhenCollapsed() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] z = {{0, 0}, {0, 0}};
            Routing uniform = routing(m, new float[][] {{0.5f, 0.5f}, {0.5f, 0.5f}}, z, null,
                    new int[][] {{0}, {1}});
            Routing collapsed = routing(m, new float[][] {{1, 0}, {1, 0}}, z, null,
                    new int[][] {{0}, {0}});
            // E Σ f_e P_e: 2 (½·½ + ½·½) = 1; 2 (1·1 + 0·0) = 2
            assertThat(new BalanceLoss().compute(uniform).getFloat()).isCloseTo(1f, within(1e-6f));
            assertThat(new BalanceLoss().compute(collapsed).getFloat()).isCloseTo(2f, within(1e-6f));
        }
    }

    @Test
    void zLossIsTheMeanSquaredLogSumExp() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[][] p = {{0.5f, 0.5f}, {0.5f, 0.5f}};
            Routing r = routing(m, p, new float[][] {{0, 0}, {1, 1}}, null, new int[][] {{0}, {1}});
            double a = Math.log(2);
            double b = 1 + Math.log(2);
            assertThat(new RouterZLoss().compute(r).getFloat())
                    .isCloseTo((float) ((a * a + b * b) / 2), within(1e-5f));
        }
    }

    @Test
    void termsCompose() {
        try (NDManager m = NDManager.newBaseManager()) {
            Routing collapsed = routing(m, new float[][] {{1, 0}, {1, 0}},
                    new float[][] {{0, 0}, {0, 0}}, new float[][] {{0.9f, 0.1f}, {0.7f, 0.3f}},
                    new int[][] {{0}, {0}});
            NDArray total = new ImportanceLoss().plus(new LoadLoss()).times(0.005).compute(collapsed);
            assertThat(total.getFloat()).isCloseTo(0.005f * (1f + 0.36f), within(1e-7f));
            assertThat(AuxLoss.none().compute(collapsed).getFloat()).isZero();
        }
    }
}
