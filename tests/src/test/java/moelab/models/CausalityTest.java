package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Perturbing tokens {@code t+1 .. T-1} must leave the logits at positions {@code 0 .. t}
 * unchanged, routing included. Evaluation mode for every language model; training mode for all but
 * BASE routing, whose balanced assignment in training is a batch-level decision (documented on
 * {@link SparseAllMlp} and {@link TransformerMoe}).
 */
class CausalityTest {

    private static final int LENGTH = 12;
    private static final int CUT = 5;

    @ParameterizedTest
    @CsvSource({"transformer-lm-tiny, true", "gmlp-lm-tiny, true", "smlp-lm-tiny, false",
            "switch-lm-tiny, true", "gshard-lm-tiny, true", "base-lm-tiny, false",
            "hash-lm-tiny, true"})
    void futureTokensDoNotChangePastLogits(String name, boolean causalInTraining) {
        checkCausal(ModelConfig.byName(name), false);
        if (causalInTraining) {
            checkCausal(ModelConfig.byName(name), true);
        }
    }

    @ParameterizedTest
    @CsvSource({"SWITCH", "HASH"})
    void smlpWithATokenLocalRouterIsCausalInTraining(RouterKind router) {
        SmlpConfig smlp = ModelConfig.byName("smlp-lm-tiny", SmlpConfig.class);
        checkCausal(smlp.withMoe(smlp.moe().withRouter(router)), true);
    }

    private static void checkCausal(ModelConfig config, boolean training) {
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
                    1e-5, 1e-5, false)).as(what + ": positions <= t unchanged").isTrue();
            assertThat(before.get(":, " + (CUT + 1) + ":").allClose(
                    after.get(":, " + (CUT + 1) + ":"), 1e-5, 1e-5, false))
                    .as(what + ": later positions do see the change").isFalse();
        }
    }
}
