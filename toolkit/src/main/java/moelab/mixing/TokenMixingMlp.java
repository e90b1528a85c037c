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
 * MLP-Mixer's token-mixing MLP: one {@link FeedForward} (hidden width {@code D_S}) applied along
 * the patch axis, to each channel's vector of {@code S} values, so it mixes patches within a
 * channel and never across channels. The same weights serve every channel.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S, C)}.
 */
public final class TokenMixingMlp extends AbstractBlock {

    private final int patches;
    private final FeedForward mlp;

    /**
     * @param patches {@code S}, the number of patches (tokens) the MLP mixes
     * @param hiddenDim {@code D_S}
     */
    public TokenMixingMlp(int patches, int hiddenDim) {
        this.patches = patches;
        mlp = addChildBlock("mlp", new FeedForward(patches, hiddenDim));
    }

    /** The MLP applied to each channel's vector along the patch axis. */
    public FeedForward mlp() {
        return mlp;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        NDArray columns = x.transpose(0, 2, 1); // (B, C, S): one row per channel
        NDArray mixed = mlp.forward(store, new NDList(columns), training, params).head(); // (B, C, S)
        return new NDList(mixed.transpose(0, 2, 1)); // (B, S, C)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        mlp.initialize(manager, dataType, new Shape(in.get(0), in.get(2), patches));
    }
}
