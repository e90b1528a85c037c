package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.moe.AuxLoss;
import moelab.moe.Combine;
import moelab.moe.Dispatch;
import moelab.moe.MoeBlock;
import moelab.routing.DeterministicRouter;
import moelab.routing.Router;
import moelab.routing.Routing;

/**
 * sMLP's sMoE (Yu et al. 2022): token mixing by experts over chunks of the hidden dimension. The
 * {@code d} channels of every sequence are split into {@code E} chunks of {@code c = d/E}; chunk
 * {@code i} goes to expert {@code i} ({@link DeterministicRouter}); expert {@code i} mixes its
 * chunk along the sequence with its own causal {@code (T, T)} matrix (a {@link SpatialProjection}
 * head). No routing decision looks at the tokens, so nothing leaks from future positions.
 *
 * <p>The four MoE steps are the usual ones: route the {@code B·E} chunks (item {@code b·E + i} is
 * chunk i of sequence b), dispatch into {@code (E, B, T·c)} buffers, run all experts as one
 * batched {@code (E, T, T)} matmul, combine. The routing is exposed like any MoE layer's; the aux
 * loss is zero (the split is balanced by construction).
 *
 * <p>Input {@code (B, T, d)} (a second input, token ids, is ignored), output {@code (B, T, d)}.
 * Parameters {@code E (L² + L)}. The experts start near zero ({@code W ~ U(-ε, ε)}, {@code b = 0}),
 * so at initialisation the block's residual carries the input unchanged (design choice).
 */
public final class SpatialMoe extends AbstractBlock implements MoeBlock {

    private final int numExperts;
    private final int modelDim;
    private final Router router = new DeterministicRouter();
    private final SpatialProjection experts;
    private Routing lastRouting;
    private NDArray lastAuxLoss;

    /**
     * @param numExperts {@code E}; must divide {@code d}
     * @param modelDim {@code d}
     * @param maxLength {@code L}, the longest sequence
     */
    public SpatialMoe(int numExperts, int modelDim, int maxLength) {
        if (numExperts < 1 || modelDim % numExperts != 0) {
            throw new IllegalArgumentException("sMoE splits d=" + modelDim + " into E="
                    + numExperts + " equal chunks: E must divide d");
        }
        this.numExperts = numExperts;
        this.modelDim = modelDim;
        experts = addChildBlock("experts", new SpatialProjection(
                numExperts, maxLength, true, SpatialGatingUnit.WEIGHT_EPSILON, 0f));
    }

    /** The experts: one causal {@code (L, L)} token-mixing matrix per chunk. */
    public SpatialProjection experts() {
        return experts;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (B, T, d)
        Shape shape = x.getShape();
        if (shape.dimension() != 3 || shape.get(2) != modelDim) {
            throw new IllegalArgumentException("sMoE expects (B, T, d=" + modelDim + "), got " + shape);
        }
        long batch = shape.get(0);
        long length = shape.get(1);
        long chunk = modelDim / numExperts;
        NDArray items = x.reshape(batch, length, numExperts, chunk) // (B, T, E, c)
                .transpose(0, 2, 1, 3) // (B, E, T, c)
                .reshape(batch * numExperts, length * chunk); // (B·E, T·c): item b·E+i = chunk i

        NDManager manager = x.getManager();
        NDArray logits = manager.zeros(new Shape(batch * numExperts, numExperts), x.getDataType());
        Routing routing = router.route(logits, null, training); // item b·E+i -> expert i
        NDArray buffers = Dispatch.apply(items, routing) // (E, B, T·c)
                .reshape(numExperts, batch, length, chunk); // (E, B, T, c)
        NDArray mixed = experts.forward(store, new NDList(buffers), training, params).head()
                .reshape(numExperts, batch, length * chunk); // (E, B, T·c)
        NDArray combined = Combine.apply(mixed, routing); // (B·E, T·c)

        lastRouting = routing;
        lastAuxLoss = AuxLoss.none().compute(routing);
        NDArray y = combined.reshape(batch, numExperts, length, chunk) // (B, E, T, c)
                .transpose(0, 2, 1, 3) // (B, T, E, c)
                .reshape(batch, length, modelDim); // (B, T, d)
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        experts.initialize(manager, dataType,
                new Shape(numExperts, in.get(0), in.get(1), modelDim / numExperts));
    }

    @Override
    public Routing lastRouting() {
        return lastRouting;
    }

    @Override
    public NDArray lastAuxLoss() {
        return lastAuxLoss;
    }

    /** Parameters: {@code E (L² + L)}. */
    public long parameterCount() {
        return experts.parameterCount();
    }

    @Override
    public String toString() {
        return "SpatialMoe(E=" + numExperts + ", d=" + modelDim + ", L=" + experts.maxLength() + ")";
    }
}
