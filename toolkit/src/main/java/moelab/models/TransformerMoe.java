package moelab.models;

import moelab.mixing.FeedForward;

/**
 * A Transformer language model whose last {@code numSparseBlocks} FFNs are
 * {@link moelab.moe.MoeLayer}s of {@code channelMixingExperts} experts: Switch top-1, GShard top-2,
 * BASE or HASH routing ({@link RouterKind}), the MoE baselines of the sMLP paper. The token ids
 * reach every MoE layer, so hash routing works.
 *
 * <p>Causality: the named configurations use capacity factor 0 (no dropping), so a token's output
 * never depends on which other tokens competed for its expert. Switch, GShard and HASH are then
 * strictly causal, in training too. BASE's balanced assignment in training is a batch-level
 * decision and can depend on future tokens (as in the BASE paper); at evaluation it is causal.
 * A positive capacity factor makes token-choice routers batch-dependent in the same way.
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits.
 */
public class TransformerMoe extends Transformer {

    /** Builds the model {@code config} describes. */
    public TransformerMoe(ModelConfig config) {
        super(config, i -> i >= config.numBlocks() - config.numSparseBlocks()
                        && config.channelMixingExperts() > 0
                ? config.moeLayer(config.channelMixingExperts(), config.width(),
                        config.channelMixingHidden())
                : new FeedForward(config.width(), config.channelMixingHidden()));
    }
}
