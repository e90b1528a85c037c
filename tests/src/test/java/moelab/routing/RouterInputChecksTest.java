package moelab.routing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Bad numbers get an error that names the value, never a silent NaN or a wrapped index. */
class RouterInputChecksTest {

    /** One manager for the whole class: these tests only create tiny arrays. */
    private static final NDManager manager = NDManager.newBaseManager();

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void nanOrInfiniteCapacityFactorIsRefused() {
        assertThatThrownBy(() -> new SwitchRouter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new GShardRouter(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
        assertThatThrownBy(() -> new ExpertChoiceRouter(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> Capacity.of(1, 8, Double.NaN, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new BiasBalancedRouter(1, 0.01, Double.NEGATIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-Infinity");
    }

    @Test
    void nanOrInfiniteLogitsAreRefusedNamingTheItem() {
        NDArray nan = manager.create(new float[][] {{1, 2, 3}, {0, 0, Float.NaN}});
        NDArray inf = manager.create(new float[][] {{Float.POSITIVE_INFINITY, 0}, {0, 0}});
        for (Router router : new Router[] {new SwitchRouter(1.0), new BatchPriorityRouter(2, 1, 0),
                new ExpertChoiceRouter(1.0), new BaseRouter(), new DeterministicRouter()}) {
            assertThatThrownBy(() -> router.route(nan, true))
                    .as(router.toString()).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("NaN at item 1, expert 2");
        }
        assertThatThrownBy(() -> new SwitchRouter(1.0).route(inf, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Infinity at item 0, expert 0");
    }

    @Test
    void logitsOfAnotherRankSayTheExpectedShape() {
        NDArray cube = manager.zeros(new Shape(2, 3, 4));
        assertThatThrownBy(() -> new SwitchRouter(1.0).route(cube, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(T, E)").hasMessageContaining("(2, 3, 4)");
        NDArray line = manager.zeros(new Shape(4));
        assertThatThrownBy(() -> new ExpertChoiceRouter(1.0).route(line, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("(4)");
    }

    @Test
    void hashRoutingRefusesNegativeLargeOrFractionalTokenIds() {
        NDArray logits = manager.zeros(new Shape(3, 4));
        HashRouter router = new HashRouter(0);
        assertThatThrownBy(() -> router.route(logits, manager.create(new int[] {4, -3, 7}), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("from -3 to 7");
        assertThatThrownBy(() -> router.route(logits,
                manager.create(new long[] {1, HashRouter.MAX_TOKEN_ID, 2}), true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("to " + HashRouter.MAX_TOKEN_ID);
        NDArray fractional = manager.create(new float[] {1, 2.5f, 3});
        assertThatThrownBy(() -> router.route(logits, fractional, true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 non-integer");
    }

    @Test
    void nanGateNoiseIsRefused() {
        assertThatThrownBy(() -> new TopKRouter(1, Double.NaN, 1.0, false, Priority.BATCH_ORDER))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new ExpertChoiceRouter(1.0, Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    }
}
