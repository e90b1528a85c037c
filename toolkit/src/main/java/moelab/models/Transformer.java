package moelab.models;

import ai.djl.nn.Block;
import java.util.function.IntFunction;
import moelab.mixing.FeedForward;

/**
 * Dense causal Transformer language model, the baseline of the sMLP comparison: token embedding
 * plus learned position embedding, {@code N} pre-LN {@link TransformerBlock}s with multi-head
 * causal self-attention and a GELU FFN of width {@code channelMixingHidden}, LayerNorm, output
 * layer (tied to the embedding by default).
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits.
 */
public class Transformer extends CausalLanguageModel {

    /** Builds the model {@code config} describes. */
    public Transformer(ModelConfig config) {
        this(config, i -> new FeedForward(config.width(), config.channelMixingHidden()));
    }

    /** A Transformer whose block {@code i} has the feed-forward layer {@code ffnAt.apply(i)}. */
    protected Transformer(ModelConfig config, IntFunction<Block> ffnAt) {
        super(config, true,
                i -> new TransformerBlock(config.width(), config.numHeads(), ffnAt.apply(i)));
    }

    /** Parameters and FLOPs per token of a Transformer or Transformer-MoE configuration. */
    static Cost cost(ModelConfig config) {
        long d = config.width();
        long hidden = config.channelMixingHidden();
        int sparse = config.sparseBlockCount();
        int experts = config.channelMixingExperts();
        Cost attention = TransformerBlock.attentionCost(d, config.contextLength());
        Cost dense = Cost.feedForward(d, hidden, 1);
        Cost moe = experts == 0 ? dense
                : Cost.moe(d, hidden, experts, config.expertsPerItem(experts), 1);
        return CausalLanguageModel.frameCost(config, true)
                .plus(attention.plus(dense).times(config.numBlocks() - sparse))
                .plus(attention.plus(moe).times(sparse));
    }
}
