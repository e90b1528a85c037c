package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With one expert and no dropping, every MoE layer inside a full model equals the dense layer in
 * its place: build the model twice (one expert vs. the dense layer), copy the weights, compare.
 * BASE routing is left out: it scales an expert's output by {@code sigmoid(W_g x)}, so even one
 * expert is not the dense layer.
 */
class OneExpertEquivalenceTest {

    @ParameterizedTest
    @CsvSource({"SWITCH", "HASH"})
    void transformerMoeWithOneExpertIsTheTransformer(RouterKind router) {
        TransformerMoeConfig named = ModelConfig.byName(router.key() + "-lm-tiny",
                TransformerMoeConfig.class);
        TransformerMoeConfig moe = named.withMoe(named.moe().withExperts(1));
        ModelConfig dense = moe.dense();
        assertSameLogits(dense, moe);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sparseMlpWithOneExpertIsItsDenseCounterpart(boolean channelMoeInside) {
        SparseMlpConfig named = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        SparseMlpConfig moe = named.withMoe(named.moe().withExperts(1)).withTokenExperts(1)
                .withChannelMoeInside(channelMoeInside);
        ModelConfig dense = moe.withMoe(moe.moe().withExperts(0)).withTokenExperts(0);
        assertSameLogits(dense, moe);
    }

    @Test
    void sparseMlpWithoutReRepresentationWithOneExpertIsItsDenseCounterpart() {
        SparseMlpConfig named = ModelConfig.byName("sparse-mlp-tiny", SparseMlpConfig.class);
        SparseMlpConfig moe = named.withMoe(named.moe().withExperts(1)).withTokenExperts(1)
                .withReRepresentation(false);
        ModelConfig dense = moe.withMoe(moe.moe().withExperts(0)).withTokenExperts(0);
        assertSameLogits(dense, moe);
    }

    @ParameterizedTest
    @CsvSource({"SWITCH", "HASH"})
    void smlpWithOneTokenExpertIsItsDenseCounterpart(RouterKind router) {
        SmlpConfig named = ModelConfig.byName("smlp-lm-tiny", SmlpConfig.class);
        SmlpConfig moe = named.withMoe(named.moe().withRouter(router).withExperts(1));
        ModelConfig dense = moe.withMoe(moe.moe().withExperts(0));
        assertSameLogits(dense, moe);
    }

    private static void assertSameLogits(ModelConfig denseConfig, ModelConfig moeConfig) {
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block dense = ModelTesting.initialized(denseConfig, manager, 2);
            Block moe = ModelTesting.initialized(moeConfig, manager, 2);
            ModelTesting.copyDenseIntoOneExpert(dense, moe);
            NDArray input = denseConfig.isLanguageModel()
                    ? ModelTesting.tokens(manager, denseConfig.outputSize(), 2, 10)
                    : manager.randomUniform(0f, 1f, denseConfig.inputShape(2));
            for (boolean training : new boolean[] {false, true}) {
                NDArray expected = ModelTesting.forward(dense, manager, input, training);
                NDArray actual = ModelTesting.forward(moe, manager, input, training);
                assertThat(actual.allClose(expected, 1e-4, 1e-5, false))
                        .as(moeConfig.name() + " training=" + training).isTrue();
            }
        }
    }
}
