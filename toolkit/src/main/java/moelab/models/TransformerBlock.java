package moelab.models;

import ai.djl.nn.Block;
import moelab.mixing.CausalSelfAttention;

/**
 * One pre-LN Transformer decoder block ({@link PreNormResidualBlock}):
 * {@code x + Attention(LN(x))}, then {@code x + FFN(LN(x))}, where the FFN is a dense
 * {@link moelab.mixing.FeedForward} or an {@link moelab.moe.MoeLayer} ({@link MoePart#tokenLayer}).
 *
 * <p>Input {@code (B, T, d)} plus token ids {@code (B, T)} (passed to the FFN, for hash routing),
 * output {@code (B, T, d)}.
 */
public final class TransformerBlock extends PreNormResidualBlock {

    private final LmPart lm;
    private final MoePart ffn;

    /**
     * @param lm width {@code d}, FFN width, the longest sequence {@code L}
     * @param heads attention heads
     * @param ffn the feed-forward layer: dense ({@link MoePart#dense()}) or MoE
     */
    public TransformerBlock(LmPart lm, int heads, MoePart ffn) {
        super("attentionNorm", "attention", new CausalSelfAttention(lm.width(), heads),
                "ffnNorm", "ffn", ffn.tokenLayer(lm.width(), lm.hidden()));
        this.lm = lm;
        this.ffn = ffn;
    }

    /** The feed-forward layer (dense or MoE). */
    public Block ffn() {
        return feedForward();
    }

    /**
     * Parameters and FLOPs per token at sequence length {@code L}: Q, K, V and output
     * projections, {@code 2 L d} for the scores and {@code 2 L d} for the weighted values (the
     * full {@code L × L} products, masked or not), then the FFN.
     */
    @Override
    public Cost cost() {
        long d = lm.width();
        Cost scores = new Cost(0, 0, 4L * lm.contextLength() * d);
        return Cost.layerNorm(d)
                .plus(Cost.linear(d, 3 * d, 1))
                .plus(scores)
                .plus(Cost.linear(d, d, 1))
                .plus(Cost.layerNorm(d))
                .plus(ffn.cost(d, lm.hidden(), 1));
    }
}
