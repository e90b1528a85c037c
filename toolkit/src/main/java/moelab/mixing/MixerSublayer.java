package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One of the two mixing sublayers of MLP-Mixer and Sparse-MLP: a layer acting on the last axis
 * (one MLP or an MoE layer), applied either
 *
 * <ul>
 *   <li>along the patch axis (token mixing): to each channel's vector of {@code S} values, so it
 *       mixes patches within a channel; the input is transposed to {@code (B, C, S)} for the layer
 *       and back; or
 *   <li>along the channel axis (channel mixing): to each patch's vector of {@code C} values, so it
 *       mixes channels within a patch; the input goes to the layer as it is.
 * </ul>
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}.
 *
 * @param <L> the layer, {@code (..., S) → (..., S)} for token mixing, {@code (..., C) → (..., C)}
 *     for channel mixing
 */
abstract class MixerSublayer<L extends Block> extends AbstractBlock {

    private final L layer;
    private final boolean tokenMixing;

    /**
     * @param name the name the layer is registered under
     * @param layer the layer
     * @param tokenMixing true to mix along the patch axis, false along the channel axis
     */
    MixerSublayer(String name, L layer, boolean tokenMixing) {
        this.layer = addChildBlock(name, layer);
        this.tokenMixing = tokenMixing;
    }

    /** The layer applied to each vector along the mixed axis. */
    L layer() {
        return layer;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        if (!tokenMixing) {
            return layer.forward(store, new NDList(x), training, params); // (B, S, C)
        }
        NDArray columns = x.transpose(0, 2, 1); // (B, C, S): one row per channel
        NDArray mixed = layer.forward(store, new NDList(columns), training, params).head(); // (B, C, S)
        return new NDList(mixed.transpose(0, 2, 1)); // (B, S, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0]; // (B, S, C)
        layer.initialize(manager, dataType,
                tokenMixing ? new Shape(in.get(0), in.get(2), in.get(1)) : in);
    }
}
