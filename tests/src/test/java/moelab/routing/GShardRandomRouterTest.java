package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * GShard's random second expert on the shared 4-token example. Normalised second gates
 * {@code g2' = sigmoid(l2 - l1)}: t0 0.2689, t1 0.1192, t2 0.0759, t3 0.2689, so
 * {@code 2 g2'} = 0.538, 0.238, 0.152, 0.538.
 */
class GShardRandomRouterTest {

    private static final float[][] LOGITS = {{2, 1, 0}, {0, 3, 1}, {2.5f, 0, 0}, {1, 0, 2}};

    private NDManager manager;
    private NDArray logits;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        logits = manager.create(LOGITS);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    static DoubleSupplier draws(double... u) {
        int[] next = {0};
        return () -> u[next[0]++ % u.length];
    }

    @Test
    void secondExpertGoesWhereTwiceItsGateBeatsTheDraw() {
        Routing r = new GShardRandomRouter(0, draws(0.5, 0.9, 0.1, 0.7)).route(logits, true);
        assertThat(r.experts()).isEqualTo(new int[][] {{0, 1}, {1, -1}, {0, 1}, {2, -1}});
        assertThat(r.positions()).isEqualTo(new int[][] {{0, 1}, {0, -1}, {1, 2}, {0, -1}});
        assertThat(r.weights().toFloatArray()).containsExactly(new float[] {
            0.731059f, 0.268941f, 0.880797f, 0, 0.924142f, 0.075858f, 0.731059f, 0}, within(1e-5f));
    }

    @Test
    void aSkippedSecondChoiceTakesNoSeat() {
        // capacity ceil(2 * 4 * 0.75 / 3) = 2; t0's second is skipped, so t2's second fits expert 1
        Routing r = new GShardRandomRouter(0.75, draws(0.99, 0, 0, 0)).route(logits, true);
        assertThat(r.capacity()).isEqualTo(2);
        assertThat(r.experts()).isEqualTo(new int[][] {{0, -1}, {1, 2}, {0, 1}, {2, 0}});
        assertThat(r.positions()).isEqualTo(new int[][] {{0, -1}, {0, 1}, {1, 1}, {0, -1}});
        assertThat(r.dropped()).isEqualTo(1);
    }

    @Test
    void evaluationAlwaysUsesBothExperts() {
        Routing r = new GShardRandomRouter(0, draws(0.999)).route(logits, false);
        assertThat(r.experts()).isEqualTo(new int[][] {{0, 1}, {1, 2}, {0, 1}, {2, 0}});
    }
}
