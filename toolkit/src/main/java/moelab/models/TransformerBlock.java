package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.mixing.CausalSelfAttention;

/**
 * One pre-LN Transformer decoder block: {@code x + Attention(LN(x))}, then {@code x + FFN(LN(x))},
 * where the FFN is a dense {@link moelab.mixing.FeedForward} or an {@link moelab.moe.MoeLayer}.
 *
 * <p>Input {@code (B, T, d)} plus token ids {@code (B, T)} (passed to the FFN, for hash routing),
 * output {@code (B, T, d)}.
 */
public final class TransformerBlock extends AbstractBlock {

    private final LayerNorm attentionNorm;
    private final CausalSelfAttention attention;
    private final LayerNorm ffnNorm;
    private final Block ffn;

    /**
     * @param modelDim {@code d}
     * @param heads attention heads
     * @param ffn the feed-forward layer, {@code (B, T, d) → (B, T, d)}
     */
    public TransformerBlock(int modelDim, int heads, Block ffn) {
        attentionNorm = addChildBlock("attentionNorm", LayerNorm.builder().axis(2).build());
        attention = addChildBlock("attention", new CausalSelfAttention(modelDim, heads));
        ffnNorm = addChildBlock("ffnNorm", LayerNorm.builder().axis(2).build());
        this.ffn = addChildBlock("ffn", ffn);
    }

    /** The feed-forward layer (dense or MoE). */
    public Block ffn() {
        return ffn;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, d)
        NDArray ids = inputs.size() > 1 ? inputs.get(1) : null; // (B, T)
        NDArray y = attentionNorm.forward(store, new NDList(x), training, params).head();
        x = x.add(attention.forward(store, new NDList(y), training, params).head());
        y = ffnNorm.forward(store, new NDList(x), training, params).head();
        NDList ffnInputs = ids == null ? new NDList(y) : new NDList(y, ids);
        x = x.add(ffn.forward(store, ffnInputs, training, params).head());
        return new NDList(x); // (B, T, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        attentionNorm.initialize(manager, dataType, inputShapes[0]);
        attention.initialize(manager, dataType, inputShapes[0]);
        ffnNorm.initialize(manager, dataType, inputShapes[0]);
        ffn.initialize(manager, dataType, inputShapes);
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
