package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.moe.MoeLayer;

/**
 * Sparse-MLP's {@code MoE_s}: token-mixing experts. Each channel's vector along the patch axis
 * (length {@code S}) is one routed item, sent by the gate to its expert token-mixing MLP(s), so
 * different channels mix their patches with different experts. With one expert it is a
 * {@link TokenMixingMlp}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}; the wrapped {@link MoeLayer} sees
 * {@code B·C} items of width {@code S}. Its routing and aux loss are read from that layer (found by
 * {@link moelab.moe.MoeBlock#findAll}).
 */
public final class TokenMixingMoe extends AbstractBlock {

    private final MoeLayer moe;

    /** @param moe an MoE layer whose item width {@code d} is the number of patches {@code S} */
    public TokenMixingMoe(MoeLayer moe) {
        this.moe = addChildBlock("moe", moe);
    }

    /** The MoE layer over the channel columns. */
    public MoeLayer moe() {
        return moe;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        NDArray columns = x.transpose(0, 2, 1); // (B, C, S): one routed item per channel
        NDArray mixed = moe.forward(store, new NDList(columns), training, params).head(); // (B, C, S)
        return new NDList(mixed.transpose(0, 2, 1)); // (B, S, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        moe.initialize(manager, dataType, new Shape(in.get(0), in.get(2), in.get(1)));
    }
}
