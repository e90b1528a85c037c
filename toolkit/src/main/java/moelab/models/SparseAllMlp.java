package moelab.models;

/**
 * sMLP, the sparse all-MLP language model (Yu et al. 2022): {@code N1} dense causal
 * {@link GmlpBlock}s, then {@code N2 = numSparseBlocks} {@link SparseAllMlpBlock}s with sMoE
 * (deterministic chunk routing, causal token mixing) and tMoE (token-routed expert MLPs; BASE
 * layers routing by default, any {@link RouterKind} can be plugged in).
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits. Causality: sMoE's
 * routing never looks at tokens; tMoE's routing of a token depends on that token only, except for
 * BASE's balanced assignment in training, which is solved over the whole batch (as in the BASE
 * paper), so in training a token's expert can depend on other tokens, future ones included. At
 * evaluation BASE sends each token to its best expert and the model is strictly causal.
 */
public class SparseAllMlp extends Gmlp {

    /** Builds the model {@code config} describes. */
    public SparseAllMlp(ModelConfig config) {
        super(config, i -> i >= config.numBlocks() - config.numSparseBlocks()
                ? new SparseAllMlpBlock(config)
                : Gmlp.denseBlock(config));
    }
}
