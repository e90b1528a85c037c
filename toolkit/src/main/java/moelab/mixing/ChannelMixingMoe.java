package moelab.mixing;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.moe.MoeLayer;

/**
 * Sparse-MLP's {@code MoE_c}: channel-mixing experts. Each patch's channel vector (length
 * {@code C}) is one routed item, sent by the gate to its expert channel-mixing MLP(s). With one
 * expert it is a {@link ChannelMixingMlp}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}; the wrapped {@link MoeLayer} sees
 * {@code B·S} items of width {@code C}.
 */
public final class ChannelMixingMoe extends AbstractBlock {

    private final MoeLayer moe;

    /** @param moe an MoE layer whose item width {@code d} is the number of channels {@code C} */
    public ChannelMixingMoe(MoeLayer moe) {
        this.moe = addChildBlock("moe", moe);
    }

    /** The MoE layer over the patches' channel vectors. */
    public MoeLayer moe() {
        return moe;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        // (B, S, C) -> (B, S, C): every leading position is one routed item
        return moe.forward(store, new NDList(inputs.get(0)), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        moe.initialize(manager, dataType, inputShapes[0]);
    }
}
