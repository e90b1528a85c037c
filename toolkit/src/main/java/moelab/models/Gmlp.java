package moelab.models;

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
    public Gmlp(GmlpConfig config) {
        this(config, config.lm(), i -> denseBlock(config.lm()));
    }

    /** A gMLP-style model whose block {@code i} is {@code blockAt.apply(i)}. */
    protected Gmlp(ModelConfig config, LmPart lm, IntFunction<CostedBlock> blockAt) {
        super(config, lm, false, blockAt);
    }

    /** A dense gMLP block of width {@code d}, {@code d_ffn = lm.hidden()}, length {@code T}. */
    static GmlpBlock denseBlock(LmPart lm) {
        return new GmlpBlock(lm.width(), lm.hidden(), lm.contextLength());
    }
}
