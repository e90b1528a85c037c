package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * MLP-Mixer's channel-mixing MLP: the same {@link FeedForward} (hidden width {@code D_C}) applied
 * to every patch's channel vector, so it mixes channels within a patch and never across patches.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}.
 */
public final class ChannelMixingMlp extends AbstractBlock {

    private final FeedForward mlp;

    /**
     * @param channels {@code C}
     * @param hiddenDim {@code D_C}
     */
    public ChannelMixingMlp(int channels, int hiddenDim) {
        mlp = addChildBlock("mlp", new FeedForward(channels, hiddenDim));
    }

    /** The MLP applied to each channel vector. */
    public FeedForward mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        return mlp.forward(store, new NDList(x), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        mlp.initialize(manager, dataType, inputShapes[0]);
    }
}
