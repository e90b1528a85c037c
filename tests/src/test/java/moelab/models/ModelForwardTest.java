package moelab.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Map;
import moelab.moe.MoeBlock;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelForwardTest {

    /** Image configs: {@code (B, channels, H, W)} in, {@code (B, classes)} out, routing traces. */
    @ParameterizedTest
    @CsvSource({"mixer-tiny, 0", "sparse-mlp-tiny, 4", "mixer-tiny-eqflop, 0", "mixer-cifar, 0",
            "sparse-mlp-cifar, 4"})
    void imageModelsMapImagesToClassLogits(String name, int moeLayers) {
        Engine.getInstance().setRandomSeed(3);
        ModelConfig config = ModelConfig.byName(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = ModelTesting.initialized(config, manager, 2);
            NDArray images = manager.randomUniform(0f, 1f, config.inputShape(2));
            NDArray logits = ModelTesting.forward(model, manager, images, true);
            assertThat(logits.getShape()).isEqualTo(new Shape(2, config.outputSize()));
            assertThat(logits.isNaN().any().getBoolean()).isFalse();
            assertTraces(model, moeLayers);
        }
    }

    /** Language models: {@code (B, T)} ids in, {@code (B, T, V)} logits out, routing traces. */
    @ParameterizedTest
    @CsvSource({"transformer-lm-tiny, 0", "gmlp-lm-tiny, 0", "smlp-lm-tiny, 4",
            "switch-lm-tiny, 2", "gshard-lm-tiny, 2", "base-lm-tiny, 2", "hash-lm-tiny, 2"})
    void languageModelsMapTokensToNextTokenLogits(String name, int moeLayers) {
        Engine.getInstance().setRandomSeed(3);
        ModelConfig config = ModelConfig.byName(name);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block model = ModelTesting.initialized(config, manager, 2);
            NDArray ids = ModelTesting.tokens(manager, config.outputSize(), 2, 16); // T < context
            NDArray logits = ModelTesting.forward(model, manager, ids, true);
            assertThat(logits.getShape()).isEqualTo(new Shape(2, 16, config.outputSize()));
            assertThat(logits.isNaN().any().getBoolean()).isFalse();
            assertTraces(model, moeLayers);
        }
    }

    private static void assertTraces(Block model, int moeLayers) {
        Map<String, MoeBlock> found = MoeBlock.findAll(model);
        assertThat(found).hasSize(moeLayers);
        found.forEach((path, moe) -> {
            assertThat(moe.lastRouting()).as(path).isNotNull();
            assertThat(moe.lastAuxLoss().getShape().isScalar()).as(path).isTrue();
        });
    }
}
