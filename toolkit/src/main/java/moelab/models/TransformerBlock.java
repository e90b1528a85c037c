package moelab.models;

import ai.djl.nn.Block;
import moelab.mixing.CausalSelfAttention;

/**
 * One pre-LN Transformer decoder block ({@link PreNormResidualBlock}):
 * {@code x + Attention(LN(x))}, then {@code x + FFN(LN(x))}, where the FFN is a dense
 * {@link moelab.mixing.FeedForward} or an {@link moelab.moe.MoeLayer}.
 *
 * <p>Input {@code (B, T, d)} plus token ids {@code (B, T)} (passed to the FFN, for hash routing),
 * output {@code (B, T, d)}.
 */
public final class TransformerBlock extends PreNormResidualBlock {

    /**
     * @param modelDim {@code d}
     * @param heads attention heads
     * @param ffn the feed-forward layer, {@code (B, T, d) → (B, T, d)}
     */
    public TransformerBlock(int modelDim, int heads, Block ffn) {
        super("attentionNorm", "attention", new CausalSelfAttention(modelDim, heads),
                "ffnNorm", "ffn", ffn);
    }

    /** The feed-forward layer (dense or MoE). */
    public Block ffn() {
        return feedForward();
    }

    /**
     * Parameters and FLOPs per token of the attention half at sequence length {@code L}: Q, K, V
     * and output projections, plus {@code 2 L d} for the scores and {@code 2 L d} for the weighted
     * values (the full {@code L × L} products, masked or not).
     */
    static Cost attentionCost(long d, long length) {
        Cost scores = new Cost(0, 0, 4 * length * d);
        return Cost.layerNorm(d)
                .plus(Cost.linear(d, 3 * d, 1))
                .plus(scores)
                .plus(Cost.linear(d, d, 1))
                .plus(Cost.layerNorm(d));
    }
}
