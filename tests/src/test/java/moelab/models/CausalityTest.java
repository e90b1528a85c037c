package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Perturbing tokens {@code t+1 .. T-1} of every sequence must leave the logits at positions
 * {@code 0 .. t} unchanged, routing included, exactly when the config says it is causal
 * ({@link ModelConfig#causalInTraining()}, {@link ModelConfig#causalInEvaluation()}). BASE's
 * balanced assignment in training is a batch-level decision and does leak; causal BASE does not.
 */
class CausalityTest {

    private static final int LENGTH = 12;
    private static final int CUT = 5;

    @ParameterizedTest
    @CsvSource({"transformer-lm-tiny, true", "gmlp-lm-tiny, true", "smlp-lm-tiny, false",
            "switch-lm-tiny, true", "gshard-lm-tiny, true", "base-lm-tiny, false",
            "hash-lm-tiny, true"})
    void futureTokensDoNotChangePastLogits(String name, boolean causalInTraining) {
        ModelConfig config = ModelConfig.byName(name);
        assertThat(config.causalInEvaluation()).as(name + " says").isTrue();
        assertThat(config.causalInTraining()).as(name + " says").isEqualTo(causalInTraining);
        checkCausal(config, false, true);
        checkCausal(config, true, causalInTraining);
    }

    @ParameterizedTest
    @CsvSource({"SWITCH", "HASH", "BASE_CAUSAL"})
    void smlpWithATokenLocalOrCausalBaseRouterIsCausalInTraining(RouterKind router) {
        SmlpConfig smlp = ModelConfig.byName("smlp-lm-tiny", SmlpConfig.class);
        ModelConfig config = smlp.withMoe(smlp.moe().withRouter(router));
        assertThat(config.causalInTraining()).isTrue();
        checkCausal(config, true, true);
    }

    @Test
    void causalBaseTransformerIsCausalInTrainingAndEvaluation() {
        TransformerMoeConfig base = ModelConfig.byName("base-lm-tiny", TransformerMoeConfig.class);
        ModelConfig config = base.withMoe(base.moe().withRouter(RouterKind.BASE_CAUSAL));
        assertThat(config.causalInTraining()).isTrue();
        checkCausal(config, true, true);
        checkCausal(config, false, true);
    }

    @Test
    void aCapacityLimitIsSaidToBreakCausality() {
        TransformerMoeConfig moe = ModelConfig.byName("switch-lm-tiny", TransformerMoeConfig.class);
        ModelConfig limited = moe.withMoe(moe.moe().withCapacityFactor(1.0));
        assertThat(limited.causalInTraining()).isFalse();
        assertThat(limited.causalInEvaluation()).isFalse();
        assertThat(ModelConfig.byName("mixer-tiny").causalInTraining()).isFalse();
    }

    /** With {@code causal}, past logits must not move; without, they must (the flag is not just cautious). */
    private static void checkCausal(ModelConfig config, boolean training, boolean causal) {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = ModelTesting.initialized(config, manager, 2);
            NDArray ids = ModelTesting.tokens(manager, config.outputSize(), 2, LENGTH);
            NDArray perturbed = ids.duplicate();
            NDArray future = ModelTesting.tokens(manager, config.outputSize(), 2, LENGTH - CUT - 1);
            perturbed.set(new ai.djl.ndarray.index.NDIndex(":, " + (CUT + 1) + ":"), future);
            assertThat(perturbed.get(":, " + (CUT + 1) + ":").eq(ids.get(":, " + (CUT + 1) + ":"))
                    .all().getBoolean()).isFalse();

            NDArray before = ModelTesting.forward(model, manager, ids, training);
            NDArray after = ModelTesting.forward(model, manager, perturbed, training);
            String what = config.name() + (training ? " (training)" : " (evaluation)");
            assertThat(before.get(":, :" + (CUT + 1)).allClose(after.get(":, :" + (CUT + 1)),
                    1e-5, 1e-5, false)).as(what + ": positions <= t unchanged").isEqualTo(causal);
            assertThat(before.get(":, " + (CUT + 1) + ":").allClose(
                    after.get(":, " + (CUT + 1) + ":"), 1e-5, 1e-5, false))
                    .as(what + ": later positions do see the change").isFalse();
        }
    }
}
