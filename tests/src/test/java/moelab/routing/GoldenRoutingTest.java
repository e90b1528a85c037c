package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-worked routing examples: 4 tokens, 3 experts (2 for BASE), the expected dispatch written
 * out. Router probabilities of the shared logits, rounded:
 *
 * <pre>
 *          logits           softmax
 *   t0  [2,   1, 0  ]   [0.665 0.245 0.090]
 *   t1  [0,   3, 1  ]   [0.042 0.844 0.114]
 *   t2  [2.5, 0, 0  ]   [0.859 0.071 0.071]
 *   t3  [1,   0, 2  ]   [0.245 0.090 0.665]
 * </pre>
 */
class GoldenRoutingTest {

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

    private static double softmax(float[] row, int e) {
        double sum = 0;
        for (float v : row) {
            sum += Math.exp(v);
        }
        return Math.exp(row[e]) / sum;
    }

    @Test
    void switchTop1AmpleCapacityKeepsEveryToken() {
        Routing r = new SwitchRouter(1.0).route(logits, false);
        // capacity = ceil(1 * 4 * 1.0 / 3) = 2
        assertThat(r.capacity()).isEqualTo(2);
        assertThat(r.experts()).isEqualTo(new int[][] {{0}, {1}, {0}, {2}});
        assertThat(r.positions()).isEqualTo(new int[][] {{0}, {0}, {1}, {0}});
        assertThat(r.expertLoad()).containsExactly(2, 1, 1);
        assertThat(r.dropped()).isZero();
        float[] w = r.weights().toFloatArray();
        assertThat(w[0]).isCloseTo((float) softmax(LOGITS[0], 0), within(1e-6f));
        assertThat(w[1]).isCloseTo((float) softmax(LOGITS[1], 1), within(1e-6f));
        assertThat(w[2]).isCloseTo((float) softmax(LOGITS[2], 0), within(1e-6f));
        assertThat(w[3]).isCloseTo((float) softmax(LOGITS[3], 2), within(1e-6f));
    }

    @Test
    void switchTop1ShortCapacityDropsTheLaterTokenInBatchOrder() {
        Routing r = new SwitchRouter(0.5).route(logits, false);
        // capacity = ceil(4 * 0.5 / 3) = 1: t0 and t2 both want expert 0, t0 comes first
        assertThat(r.capacity()).isEqualTo(1);
        assertThat(r.positions()).isEqualTo(new int[][] {{0}, {0}, {-1}, {0}});
        assertThat(r.dropped()).isEqualTo(1);
        assertThat(r.weights().toFloatArray()[2]).isZero();
    }

    @Test
    void batchPriorityDropsTheLessConfidentToken() {
        Routing r = new BatchPriorityRouter(1, 0.5, 0).route(logits, false);
        // t2's top gate 0.859 beats t0's 0.665, so t2 gets expert 0's only row
        assertThat(r.experts()).isEqualTo(new int[][] {{0}, {1}, {0}, {2}});
        assertThat(r.positions()).isEqualTo(new int[][] {{-1}, {0}, {0}, {0}});
    }

    @Test
    void gshardTop2ServesFirstChoicesBeforeSecondChoices() {
        Routing r = new GShardRouter(0.5).route(logits, false);
        // capacity = ceil(2 * 4 * 0.5 / 3) = 2; t2's second choice is a tie 1 vs 2: lower index
        assertThat(r.capacity()).isEqualTo(2);
        assertThat(r.experts()).isEqualTo(new int[][] {{0, 1}, {1, 2}, {0, 1}, {2, 0}});
        // first choices: e0 <- t0, t2; e1 <- t1; e2 <- t3
        // second choices: t0 -> e1 row 1; t1 -> e2 row 1; t2 -> e1 full; t3 -> e0 full
        assertThat(r.positions()).isEqualTo(new int[][] {{0, 1}, {0, 1}, {1, -1}, {0, -1}});
        assertThat(r.dropped()).isEqualTo(2);
        float[] w = r.weights().toFloatArray();
        double p0 = softmax(LOGITS[0], 0);
        double p1 = softmax(LOGITS[0], 1);
        assertThat(w[0]).isCloseTo((float) (p0 / (p0 + p1)), within(1e-6f));
        assertThat(w[1]).isCloseTo((float) (p1 / (p0 + p1)), within(1e-6f));
        assertThat(w[5]).isZero();
        assertThat(w[7]).isZero();
    }

    @Test
    void expertChoiceEachExpertTakesItsTopTokens() {
        Routing r = new ExpertChoiceRouter(1.0).route(logits, false);
        // C = ceil(4 / 3) = 2. e0 picks t2 (0.859), t0 (0.665); e1 picks t1 (0.844), t0 (0.245);
        // e2 picks t3 (0.665), t1 (0.114). t0 and t1 are picked twice, t2 and t3 once.
        assertThat(r.capacity()).isEqualTo(2);
        assertThat(r.experts()).isEqualTo(new int[][] {{0, 1}, {1, 2}, {0, -1}, {2, -1}});
        assertThat(r.positions()).isEqualTo(new int[][] {{1, 1}, {0, 1}, {0, -1}, {0, -1}});
        assertThat(r.expertLoad()).containsExactly(2, 2, 2);
        assertThat(r.weights().toFloatArray()[5]).isZero();
    }

    @Test
    void baseBalancesTokensThatAllPreferOneExpert() {
        NDArray skewed = manager.create(new float[][] {{4, 1}, {3, 2}, {2, 0}, {1, 0.5f}});
        Routing train = new BaseRouter().route(skewed, true);
        // pairs by score: t0e0 4, t1e0 3 (e0 now full), t1e1 2 (t1 done), t2e0 2 (full),
        // t0e1 1 (done), t3e0 1 (full), t3e1 0.5 -> e1, t2e1 0 -> e1
        assertThat(train.experts()).isEqualTo(new int[][] {{0}, {0}, {1}, {1}});
        assertThat(train.expertLoad()).containsExactly(2, 2);
        assertThat(train.weights().toFloatArray()[2])
                .isCloseTo((float) (1 / (1 + Math.exp(-0.0))), within(1e-6f));
        Routing eval = new BaseRouter().route(skewed, false);
        assertThat(eval.experts()).isEqualTo(new int[][] {{0}, {0}, {0}, {0}});
        assertThat(eval.dropped()).isZero();
    }

    @Test
    void hashSendsEqualTokenIdsToTheSameExpertWithWeightOne() {
        HashRouter router = new HashRouter(0);
        NDArray ids = manager.create(new int[] {5, 9, 5, 2});
        Routing r = router.route(logits, ids, true);
        int[][] experts = r.experts();
        assertThat(experts[0][0]).isEqualTo(experts[2][0]).isEqualTo(router.expertOf(5, 3));
        assertThat(experts[1][0]).isEqualTo(router.expertOf(9, 3));
        assertThat(experts[3][0]).isEqualTo(router.expertOf(2, 3));
        assertThat(r.weights().toFloatArray()).containsOnly(1f);
        assertThat(r.dropped()).isZero();
        assertThatThrownBy(() -> router.route(logits, false))
                .hasMessageContaining("token ids");
    }

    @Test
    void deterministicSendsItemIToExpertIModE() {
        Routing r = new DeterministicRouter().route(logits, true);
        assertThat(r.experts()).isEqualTo(new int[][] {{0}, {1}, {2}, {0}});
        assertThat(r.positions()).isEqualTo(new int[][] {{0}, {0}, {0}, {1}});
        assertThat(r.weights().toFloatArray()).containsOnly(1f);
    }

    @Test
    void capacityFormulaAndNoDropping() {
        assertThat(Capacity.of(1, 4, 1.0, 3)).isEqualTo(2);
        assertThat(Capacity.of(2, 4, 1.25, 3)).isEqualTo(4);
        assertThat(Capacity.of(2, 100, 1.0, 8)).isEqualTo(25);
        assertThat(Capacity.of(1, 4, 0, 3)).isEqualTo(4);
        assertThat(Capacity.of(1, 4, -1, 3)).isEqualTo(4);
    }
}
