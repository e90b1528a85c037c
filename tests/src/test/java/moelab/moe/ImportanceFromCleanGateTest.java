package moelab.moe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import moelab.routing.BatchPriorityRouter;
import moelab.routing.ExpertChoiceRouter;
import moelab.routing.Router;
import moelab.routing.Routing;
import org.junit.jupiter.api.Test;

/**
 * V-MoE's router check: the importance loss is computed from the noise-free gate, so it does not
 * change with the noise seed (while the noisy routing does).
 */
class ImportanceFromCleanGateTest {

    private static float importance(Router router, NDArray logits, int seed) {
        Engine.getInstance().setRandomSeed(seed);
        Routing routing = router.route(logits, true);
        return new ImportanceLoss().compute(routing).getFloat();
    }

    @Test
    void importanceDoesNotDependOnTheNoiseSeed() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            NDArray logits = manager.randomNormal(new Shape(64, 8)).mul(2);
            float expected = AuxLoss.cv2(logits.softmax(1).sum(new int[] {0})).getFloat();
            for (Router router : new Router[] {new BatchPriorityRouter(2, 1.0, 1.0),
                    new ExpertChoiceRouter(1.0, 1.0)}) {
                for (int seed = 0; seed < 3; seed++) {
                    assertThat(importance(router, logits, seed)).as(router + " seed " + seed)
                            .isCloseTo(expected, within(1e-6f));
                }
            }
            Engine.getInstance().setRandomSeed(0);
            Routing a = new BatchPriorityRouter(2, 1.0, 1.0).route(logits, true);
            Engine.getInstance().setRandomSeed(1);
            Routing b = new BatchPriorityRouter(2, 1.0, 1.0).route(logits, true);
            assertThat(a.probs().allClose(b.probs())).as("the noisy probabilities do change")
                    .isFalse();
        }
    }
}
