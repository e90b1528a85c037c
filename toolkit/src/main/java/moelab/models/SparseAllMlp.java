package moelab.models;

/**
 * sMLP, the sparse all-MLP language model (Yu et al. 2022): {@code N1} dense causal
 * {@link GmlpBlock}s, then {@code N2 = moe.blocks()} {@link SparseAllMlpBlock}s with sMoE
 * (deterministic chunk routing, causal token mixing) and tMoE (token-routed expert MLPs; BASE
 * layers routing by default, any {@link RouterKind} can be plugged in).
 *
 * <p>Input {@code (B, T)} token ids, output {@code (B, T, V)} next-token logits. Causality: sMoE's
 * routing never looks at tokens; tMoE's routing of a token depends on that token only, except for
 * BASE's balanced assignment in training, which is solved over the whole batch (as in the BASE
 * paper), so in training a token's expert can depend on other tokens, future ones included: the
 * named {@code smlp-lm-*} configs are not causal in training ({@link SmlpConfig#causalInTraining()}).
 * At evaluation BASE sends each token to its best expert and the model is strictly causal.
 * {@link RouterKind#BASE_CAUSAL} keeps the balanced assignment and causality in training.
 */
public class SparseAllMlp extends Gmlp {

    /** Builds the model {@code config} describes. */
    public SparseAllMlp(SmlpConfig config) {
        super(config, config.lm(), i -> i >= config.lm().blocks() - config.moe().blocks()
                ? new SparseAllMlpBlock(config.lm(), config.spatialExperts(), config.moe())
                : Gmlp.denseBlock(config.lm()));
    }
}
