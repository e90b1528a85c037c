package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class BiasBalancedRouterTest {

    @Test
    void goldenStepChoosesWithBiasGatesWithoutIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray scores = manager.create(new float[][] {{0.6f, 0.3f, 0.1f}, {0.5f, 0.4f, 0.1f}, {0.2f, 0.7f, 0.1f}});
            NDArray bias = manager.create(new float[] {-0.2f, 0f, 0f});
            NDList out = BiasBalancedRouter.step(scores, bias, 1, 0.1);
            // token 0: 0.4, 0.3, 0.1 -> expert 0; token 1: 0.3, 0.4 -> expert 1; token 2 -> expert 1
            assertThat(out.get(0).toLongArray()).containsExactly(0, 1, 1);
            assertThat(out.get(1).toFloatArray()).containsExactly(0.6f, 0.4f, 0.7f);
            // loads [1, 2, 0], mean 1: b0 unchanged, b1 -= 0.1, b2 += 0.1
            assertThat(out.get(2).toFloatArray()).containsExactly(-0.2f, -0.1f, 0.1f);
        }
    }

    @Test
    void trainingRoutesBalanceASkewedGate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            manager.getEngine().setRandomSeed(1);
            NDArray logits = manager.randomNormal(new Shape(256, 4)).add(manager.create(new float[] {2f, 1f, 0f, 0f}));
            BiasBalancedRouter router = new BiasBalancedRouter(1, 0.01, 0);
            int first = max(router.route(logits, true).expertLoad());
            for (int i = 0; i < 200; i++) {
                router.route(logits, true);
            }
            Routing last = router.route(logits, false);
            assertThat(max(last.expertLoad())).isLessThan(first);
            assertThat(max(last.expertLoad())).isLessThanOrEqualTo(80);
            float[] w = last.weights().toFloatArray();
            float[] p = last.probs().toFloatArray();
            for (int t = 0; t < 256; t++) {
                assertThat(w[t]).isEqualTo(p[t * 4 + last.expert(t, 0)]);
            }
        }
    }

    private static int max(int[] a) {
        return java.util.Arrays.stream(a).max().orElseThrow();
    }
}
