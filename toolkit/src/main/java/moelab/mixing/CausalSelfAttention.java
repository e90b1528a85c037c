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
import moelab.nd.Scalars;

/**
 * Multi-head causal self-attention (Vaswani et al. 2017), the Transformer's token mixing:
 * {@code softmax(Q Kᵀ / √d_h + M) V} per head, with {@code M} = −∞ above the diagonal so position
 * {@code t} attends to positions {@code <= t} only, then an output projection.
 *
 * <p>Input {@code (B, T, d)}, output {@code (B, T, d)}; {@code H} heads of width
 * {@code d_h = d / H}. Parameters {@code 4 d² + 4 d} (fused Q, K, V projection and output
 * projection, with biases).
 */
public final class CausalSelfAttention extends AbstractBlock {

    /** Added to the scores of future positions (−∞ in exact arithmetic). */
    private static final float MASKED_SCORE = 1e9f;

    private final int modelDim;
    private final int heads;
    private final Linear qkv;
    private final Linear output;

    /**
     * @param modelDim {@code d}
     * @param heads {@code H}; must divide {@code d}
     */
    public CausalSelfAttention(int modelDim, int heads) {
        if (heads < 1 || modelDim % heads != 0) {
            throw new IllegalArgumentException(
                    "attention needs H dividing d, got d=" + modelDim + " H=" + heads);
        }
        this.modelDim = modelDim;
        this.heads = heads;
        qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * modelDim).build());
        output = addChildBlock("output", Linear.builder().setUnits(modelDim).build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, d)
        long batch = x.getShape().get(0);
        int length = Math.toIntExact(x.getShape().get(1));
        int headDim = modelDim / heads;
        NDArray fused = qkv.forward(store, new NDList(x), training, params).head(); // (B, T, 3d)
        NDArray split = fused.reshape(batch, length, 3, heads, headDim) // (B, T, 3, H, d_h)
                .transpose(2, 0, 3, 1, 4); // (3, B, H, T, d_h)
        NDArray q = split.get(0); // (B, H, T, d_h)
        NDArray k = split.get(1);
        NDArray v = split.get(2);

        NDArray scores = Scalars.dividedBy(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(headDim)); // (B, H, T, T)
        NDManager manager = x.getManager();
        NDArray allowed = CausalMask.lowerTriangular(manager, length, scores.getDataType()); // (T, T)
        scores = scores.add(allowed.sub(1).mul(MASKED_SCORE)); // + 0 where allowed, -1e9 above
        NDArray attention = scores.softmax(3); // (B, H, T, T)
        NDArray y = attention.matMul(v) // (B, H, T, d_h)
                .transpose(0, 2, 1, 3) // (B, T, H, d_h)
                .reshape(batch, length, modelDim); // (B, T, d)
        return output.forward(store, new NDList(y), training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        qkv.initialize(manager, dataType, inputShapes[0]);
        output.initialize(manager, dataType, inputShapes[0]);
    }

    /** Parameters: {@code 4 d² + 4 d}. */
    public long parameterCount() {
        return 4L * modelDim * modelDim + 4L * modelDim;
    }
}
