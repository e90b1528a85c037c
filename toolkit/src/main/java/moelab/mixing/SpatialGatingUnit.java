package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * gMLP's spatial gating unit (Liu et al. 2021): split the {@code 2f} channels into halves
 * {@code u, v}; normalise {@code v} over its channels; mix {@code v} along the sequence with a
 * {@link SpatialProjection} {@code W v + b} (optionally causal); output {@code u ⊙ (W v + b)}.
 * {@code W} starts near zero and {@code b} at one, so the unit starts as the identity on {@code u}.
 *
 * <p>Input {@code (B, T, 2f)}, output {@code (B, T, f)}. Parameters {@code 2f + L² + L}.
 */
public final class SpatialGatingUnit extends AbstractBlock {

    /** Half-width of the near-zero uniform initialisation of {@code W}. */
    public static final float WEIGHT_EPSILON = 1e-3f;

    private final int gateDim;
    private final LayerNorm norm;
    private final SpatialProjection spatial;

    /**
     * @param gateDim {@code f}, the width of each half (the input has {@code 2f} channels)
     * @param maxLength {@code L}, the longest sequence
     * @param causal whether position t may read positions {@code <= t} only
     */
    public SpatialGatingUnit(int gateDim, int maxLength, boolean causal) {
        this.gateDim = gateDim;
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        spatial = addChildBlock("spatial",
                new SpatialProjection(1, maxLength, causal, WEIGHT_EPSILON, 1f));
    }

    /** The spatial projection acting on {@code v}. */
    public SpatialProjection spatial() {
        return spatial;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.get(0); // (B, T, 2f)
        Shape shape = z.getShape();
        if (shape.dimension() != 3 || shape.get(2) != 2L * gateDim) {
            throw new IllegalArgumentException(
                    "spatial gating expects (B, T, 2f=" + 2 * gateDim + "), got " + shape);
        }
        long batch = shape.get(0);
        long length = shape.get(1);
        NDArray u = z.get(":, :, :" + gateDim); // (B, T, f)
        NDArray v = z.get(":, :, " + gateDim + ":"); // (B, T, f)
        v = norm.forward(store, new NDList(v), training, params).head(); // (B, T, f)
        NDArray heads = v.reshape(1, batch, length, gateDim); // (H=1, B, T, f)
        v = spatial.forward(store, new NDList(heads), training, params).head()
                .reshape(batch, length, gateDim); // (B, T, f)
        return new NDList(u.mul(v));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), in.get(1), gateDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        norm.initialize(manager, dataType, new Shape(in.get(0), in.get(1), gateDim));
        spatial.initialize(manager, dataType, new Shape(1, in.get(0), in.get(1), gateDim));
    }
}
