package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Sparse-MLP's re-representation layer: changes the {@code S × C} grid of patches and channels to
 * {@code S' × C'} by two learned linear projections, first along the channel axis
 * ({@code C → C'}, shared by all patches), then along the patch axis ({@code S → S'}, shared by all
 * channels).
 *
 * <p>Design choice (the paper fixes only the shapes): learned projections rather than a fixed
 * reshape, with biases, channels first. A sparse block uses two of them: layer 1 maps
 * {@code (S, C) → (2S, C/2)} so that {@code MoE_s} routes {@code C/2} items of length {@code 2S}
 * (more patches to mix, half the routed items), layer 2 maps back {@code (2S, C/2) → (S, C)}.
 *
 * <p>Input {@code (B, S, C)}, output {@code (B, S', C')}. Parameters
 * {@code C C' + C' + S S' + S'}.
 */
public final class ReRepresentation extends AbstractBlock {

    private final int patchesIn;
    private final int channelsIn;
    private final int patchesOut;
    private final int channelsOut;
    private final Linear channelProjection;
    private final Linear patchProjection;

    /**
     * @param patchesIn {@code S}
     * @param channelsIn {@code C}
     * @param patchesOut {@code S'}
     * @param channelsOut {@code C'}
     */
    public ReRepresentation(int patchesIn, int channelsIn, int patchesOut, int channelsOut) {
        this.patchesIn = patchesIn;
        this.channelsIn = channelsIn;
        this.patchesOut = patchesOut;
        this.channelsOut = channelsOut;
        channelProjection =
                addChildBlock("channelProjection", Linear.builder().setUnits(channelsOut).build());
        patchProjection =
                addChildBlock("patchProjection", Linear.builder().setUnits(patchesOut).build());
    }

    /** Parameters: {@code C C' + C' + S S' + S'}. */
    public long parameterCount() {
        return (long) channelsIn * channelsOut + channelsOut + (long) patchesIn * patchesOut
                + patchesOut;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, S, C)
        Shape shape = x.getShape();
        if (shape.dimension() != 3 || shape.get(1) != patchesIn || shape.get(2) != channelsIn) {
            throw new IllegalArgumentException("re-representation expects (B, " + patchesIn + ", "
                    + channelsIn + "), got " + shape);
        }
        NDArray y = channelProjection.forward(store, new NDList(x), training, params).head(); // (B, S, C')
        y = y.transpose(0, 2, 1); // (B, C', S)
        y = patchProjection.forward(store, new NDList(y), training, params).head(); // (B, C', S')
        return new NDList(y.transpose(0, 2, 1)); // (B, S', C')
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), patchesOut, channelsOut)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        channelProjection.initialize(manager, dataType, new Shape(batch, patchesIn, channelsIn));
        patchProjection.initialize(manager, dataType, new Shape(batch, channelsOut, patchesIn));
    }

    @Override
    public String toString() {
        return "ReRepresentation((" + patchesIn + ", " + channelsIn + ") -> (" + patchesOut + ", "
                + channelsOut + "))";
    }
}
