package moelab.models;

import java.util.function.IntFunction;

/**
 * Dense causal Transformer language model, the baseline of the sMLP comparison: token embedding
 * plus learned position embedding, {@code N} pre-LN {@link TransformerBlock}s with multi-head
 * causal self-attention and a GELU FFN of width {@code lm.hidden()}, LayerNorm, output layer (tied
 * to the embedding by default).
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits.
 */
public class Transformer extends CausalLanguageModel {

    /** Builds the model {@code config} describes. */
    public Transformer(TransformerConfig config) {
        this(config, config.lm(), config.heads(), i -> MoePart.dense());
    }

    /** A Transformer whose block {@code i} has the feed-forward layer {@code ffnAt.apply(i)} describes. */
    protected Transformer(ModelConfig config, LmPart lm, int heads, IntFunction<MoePart> ffnAt) {
        super(config, lm, true, i -> new TransformerBlock(lm, heads, ffnAt.apply(i)));
    }
}
