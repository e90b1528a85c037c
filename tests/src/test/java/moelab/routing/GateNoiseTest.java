package moelab.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Training-time gate noise: it changes the probabilities that choose the experts, never the clean
 * ones, and only in training; token choice and expert choice alike.
 */
class GateNoiseTest {

    private static final NDManager manager = NDManager.newBaseManager();

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    /** The same logits every time; {@code seed} drives only the gate noise. */
    private static Routing route(Router router, long seed, boolean training) {
        Engine.getInstance().setRandomSeed(3);
        NDArray logits = manager.randomNormal(new Shape(32, 4));
        Engine.getInstance().setRandomSeed((int) seed);
        return router.route(logits, training);
    }

    @Test
    void expertChoiceNoiseChangesThePicksInTrainingOnly() {
        Router noisy = new ExpertChoiceRouter(1.0, 2.0);
        Routing a = route(noisy, 1, true);
        Routing b = route(noisy, 2, true);
        assertThat(a.experts()).as("two noise draws pick differently").isNotEqualTo(b.experts());
        assertThat(a.cleanProbs().allClose(b.cleanProbs())).as("clean probs ignore the noise")
                .isTrue();
        assertThat(a.probs().allClose(a.cleanProbs())).as("noisy probs differ").isFalse();
        Routing eval = route(noisy, 1, false);
        Routing noiseless = route(new ExpertChoiceRouter(1.0), 1, false);
        assertThat(eval.experts()).as("no noise at evaluation").isEqualTo(noiseless.experts());
        assertThat(eval.probs().allClose(eval.cleanProbs())).isTrue();
    }

    @Test
    void expertChoiceNegativeNoiseMeansOneOverE() {
        assertThat(GateNoise.sigma(-1, 8)).isEqualTo(0.125);
        Routing r = route(new ExpertChoiceRouter(1.0, -1), 4, true);
        assertThat(r.probs().allClose(r.cleanProbs())).isFalse();
        r.validate();
    }

    @Test
    void topKKeepsTheCleanProbabilitiesBesideTheNoisyOnes() {
        Routing r = route(new TopKRouter(2, 1.0, 1.25, false, Priority.TOP_GATE), 5, true);
        assertThat(r.cleanProbs().allClose(r.logits().softmax(1))).isTrue();
        assertThat(r.probs().allClose(r.cleanProbs())).isFalse();
    }
}
