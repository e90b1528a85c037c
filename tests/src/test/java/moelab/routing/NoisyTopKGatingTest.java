package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shazeer et al.'s learned-noise gate on a hand-worked case: 4 items, d = 2, E = 3, k = 2.
 *
 * <pre>
 *   x W_g            Softplus(x W_noise)        n            H = x W_g + n · Softplus
 *   t0 [2, 0, 1]     [ln2, ln2, ln2]            [0, 0, 0]    [2,     0,      1    ]
 *   t1 [0, 1, 0]     [ln2, ln2, sp(2)]          [2, 0, 0]    [1.386, 1,      0    ]
 *   t2 [2, 1, 1]     [ln2, ln2, sp(2)]          [0, 0, 1]    [2,     1,      3.127]
 *   t3 [0, 0, 0]     [ln2, ln2, ln2]            [0, -1, 1]   [0,    -0.693,  0.693]
 * </pre>
 */
class NoisyTopKGatingTest {

    static final float[][] X = {{1, 0}, {0, 1}, {1, 1}, {0, 0}};
    static final float[][] W_GATE = {{2, 0, 1}, {0, 1, 0}};
    static final float[][] W_NOISE = {{0, 0, 0}, {0, 0, 2}};
    static final float[][] NOISE = {{0, 0, 0}, {2, 0, 0}, {0, 0, 1}, {0, -1, 1}};

    private NDManager manager;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDList gate(int k) {
        return NoisyTopKGating.gates(manager.create(X), manager.create(W_GATE),
                manager.create(W_NOISE), manager.create(NOISE), k);
    }

    @Test
    void gatesAreTheSoftmaxOfTheTopTwoNoisyLogits() {
        float[] g = gate(2).get(0).toFloatArray();
        float[] expected = {
            0.731059f, 0, 0.268941f, // softmax(2, 1)
            0.595390f, 0.404610f, 0, // softmax(1.386, 1)
            0.244728f, 0, 0.755272f, // softmax(2, 3.127): the learned noise promotes expert 2
            0.333333f, 0, 0.666667f}; // softmax(0, 0.693)
        assertThat(g).containsExactly(expected, within(1e-5f));
    }

    @Test
    void loadIsPhiOfTheMarginOverTheKthExcludingValue() {
        float[] p = gate(2).get(1).toFloatArray();
        float[] expected = {
            0.998045f, 0.074553f, 0.925447f,
            0.500000f, 0.925447f, 0.319120f,
            0.925447f, 0.074553f, 0.500000f,
            0.841345f, 0.500000f, 0.841345f};
        assertThat(p).containsExactly(expected, within(1e-5f));
    }

    @Test
    void topOneGatesAreOneHot() {
        float[] g = gate(1).get(0).toFloatArray();
        assertThat(g).containsExactly(new float[] {1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1}, within(1e-6f));
    }

    @Test
    void gradientsReachBothWeightMatrices() {
        NDArray wg = manager.create(W_GATE);
        NDArray wn = manager.create(W_NOISE);
        wg.setRequiresGradient(true);
        wn.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDList out = NoisyTopKGating.gates(manager.create(X), wg, wn, manager.create(NOISE), 2);
            NDArray r = manager.create(new float[][] {{1, 2, 3}, {-1, 0, 2}, {0.5f, 1, -2}, {3, 1, 0}});
            gc.backward(out.get(0).mul(r).sum().add(out.get(1).sum()));
        }
        assertThat(wg.getGradient().abs().sum().getFloat()).isPositive();
        assertThat(wn.getGradient().abs().sum().getFloat()).isPositive();
        assertThat(wg.getGradient().isNaN().any().getBoolean()).isFalse();
    }

    @Test
    void routingKeepsTheTopKGatesAsCombineWeights() {
        NDList out = gate(2);
        Routing r = NoisyTopKGating.routing(out.get(0), out.get(0), out.get(1), 2, 0);
        assertThat(r.experts()).isEqualTo(new int[][] {{0, 2}, {0, 1}, {2, 0}, {2, 0}});
        assertThat(r.weights().toFloatArray()).containsExactly(
                new float[] {0.731059f, 0.268941f, 0.595390f, 0.404610f, 0.755272f, 0.244728f,
                    0.666667f, 0.333333f}, within(1e-5f));
        assertThat(r.loadProbability()).isSameAs(out.get(1));
    }
}
