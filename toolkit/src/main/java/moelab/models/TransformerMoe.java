package moelab.models;

/**
 * A Transformer language model whose last {@code moe.blocks()} FFNs are
 * {@link moelab.moe.MoeLayer}s of {@code moe.experts()} experts: Switch top-1, GShard top-2,
 * BASE or HASH routing ({@link RouterKind}), the MoE baselines of the sMLP paper. The token ids
 * reach every MoE layer, so hash routing works.
 *
 * <p>Causality ({@link TransformerMoeConfig#causalInTraining()}): the named configurations use
 * capacity factor 0 (no dropping), so Switch, GShard and HASH decide each token from that token
 * alone and are strictly causal, in training too. BASE's balanced assignment in training is a
 * batch-level decision and depends on future tokens and other sequences (as in the BASE paper):
 * {@code base-lm-*} is not causal in training, only at evaluation; {@link RouterKind#BASE_CAUSAL}
 * is causal in both. A positive capacity factor makes token-choice routers batch-dependent too.
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits.
 */
public class TransformerMoe extends Transformer {

    /** Builds the model {@code config} describes. */
    public TransformerMoe(TransformerMoeConfig config) {
        super(config, config.lm(), config.heads(),
                i -> i >= config.lm().blocks() - config.moe().blocks() ? config.moe() : MoePart.dense());
    }
}
