package moelab.models;

import ai.djl.nn.Block;
import java.util.function.IntFunction;

/**
 * gMLP causal language model (Liu et al. 2021): token embedding (no position embedding: the
 * spatial gating unit's {@code (T, T)} matrices know the positions), {@code N} causal
 * {@link GmlpBlock}s, LayerNorm, output layer (tied to the embedding by default).
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits.
 */
public class Gmlp extends CausalLanguageModel {

    /** Builds the model {@code config} describes. */
    public Gmlp(ModelConfig config) {
        this(config, i -> denseBlock(config));
    }

    /** A gMLP-style model whose block {@code i} is {@code blockAt.apply(i)}. */
    protected Gmlp(ModelConfig config, IntFunction<Block> blockAt) {
        super(config, false, blockAt);
    }

    static GmlpBlock denseBlock(ModelConfig config) {
        return new GmlpBlock(config.width(), config.channelMixingHidden(), config.contextLength());
    }

    /** Parameters and FLOPs per token of a gMLP or sMLP configuration. */
    static Cost cost(ModelConfig config) {
        int sparse = config.sparseBlockCount();
        return CausalLanguageModel.frameCost(config, false)
                .plus(GmlpBlock.cost(config.width(), config.channelMixingHidden(),
                        config.contextLength()).times(config.numBlocks() - sparse))
                .plus(sparse == 0 ? Cost.ZERO : SparseAllMlpBlock.cost(config).times(sparse));
    }
}
