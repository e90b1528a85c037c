package moelab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.mixing.SpatialGatingUnit;

/**
 * One causal gMLP block (Liu et al. 2021):
 * {@code x + W_out · SGU(GELU(W_in · LN(x)))}, with {@code W_in: d → 2 d_ffn}, a causal
 * {@link SpatialGatingUnit} {@code (B, T, 2 d_ffn) → (B, T, d_ffn)} and {@code W_out: d_ffn → d}.
 *
 * <p>Input {@code (B, T, d)} (plus token ids, ignored), output {@code (B, T, d)}.
 */
public final class GmlpBlock extends CostedBlock {

    private final int modelDim;
    private final int ffnDim;
    private final int maxLength;
    private final LayerNorm norm;
    private final Linear projectionIn;
    private final SpatialGatingUnit gating;
    private final Linear projectionOut;

    /**
     * @param modelDim {@code d}
     * @param ffnDim {@code d_ffn}
     * @param maxLength {@code L}, the longest sequence
     */
    public GmlpBlock(int modelDim, int ffnDim, int maxLength) {
        this.modelDim = modelDim;
        this.ffnDim = ffnDim;
        this.maxLength = maxLength;
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        projectionIn = addChildBlock("projectionIn", Linear.builder().setUnits(2L * ffnDim).build());
        gating = addChildBlock("gating", new SpatialGatingUnit(ffnDim, maxLength, true));
        projectionOut = addChildBlock("projectionOut", Linear.builder().setUnits(modelDim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, d)
        NDArray y = norm.forward(store, new NDList(x), training, params).head();
        y = projectionIn.forward(store, new NDList(y), training, params).head(); // (B, T, 2 d_ffn)
        y = Activation.gelu(y);
        y = gating.forward(store, new NDList(y), training, params).head(); // (B, T, d_ffn)
        y = projectionOut.forward(store, new NDList(y), training, params).head(); // (B, T, d)
        return new NDList(x.add(y));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0]; // (B, T, d)
        norm.initialize(manager, dataType, x);
        projectionIn.initialize(manager, dataType, x);
        gating.initialize(manager, dataType, new Shape(x.get(0), x.get(1), 2L * ffnDim));
        projectionOut.initialize(manager, dataType, new Shape(x.get(0), x.get(1), ffnDim));
    }

    /** Parameters and FLOPs per token at sequence length {@code L}. */
    @Override
    public Cost cost() {
        long d = modelDim;
        long ffn = ffnDim;
        long length = maxLength;
        Cost spatial = new Cost(length * length + length, length * length + length,
                2 * length * ffn); // W v + b: (L, L) over d_ffn channels, per token
        return Cost.layerNorm(d)
                .plus(Cost.linear(d, 2 * ffn, 1))
                .plus(Cost.layerNorm(ffn))
                .plus(spatial)
                .plus(Cost.linear(ffn, d, 1));
    }

    @Override
    public String toString() {
        return "GmlpBlock(d=" + modelDim + ", d_ffn=" + ffnDim + ")";
    }
}
