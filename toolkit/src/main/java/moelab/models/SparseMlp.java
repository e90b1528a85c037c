package moelab.models;

/**
 * Sparse-MLP (Lou et al. 2021): an {@link MlpMixer} whose last {@code moe.blocks()} blocks are
 * {@link SparseMlpBlock}s (re-representation, {@code MoE_s}, {@code MoE_c}, re-representation).
 * Gate {@code TopK(softmax(W_g x + ε))}, {@code ε ~ N(0, 1/E²)} in training, capacity given to items
 * in order of their top gate score (importance-score routing, {@link RouterKind#BATCH_PRIORITY});
 * each MoE layer's aux loss is {@code λ(½ L_imp + ½ L_load)}, {@code λ = 0.01} by default.
 *
 * <p>Input {@code (B, channels, H, W)}, output {@code (B, classes)} logits. After a forward pass,
 * {@link moelab.moe.MoeBlock#findAll} on the model lists every {@code MoE_s} and {@code MoE_c} layer
 * with its routing and aux loss.
 */
public class SparseMlp extends MlpMixer {

    /** Builds the model {@code config} describes. */
    public SparseMlp(SparseMlpConfig config) {
        super(config, config.image(), config.mixer(),
                i -> i >= config.mixer().blocks() - config.moe().blocks()
                        ? new SparseMlpBlock(config)
                        : new MixerBlock(config.image().numPatches(), config.mixer()));
    }
}
