package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.function.Supplier;
import moelab.moe.AuxLosses;
import moelab.moe.MoeBlock;
import moelab.routing.DeterministicRouter;
import moelab.routing.Routing;

/**
 * sMLP's sMoE (Yu et al. 2022): token mixing by experts over chunks of the hidden dimension. The
 * {@code d} channels of every sequence are split into {@code E} chunks of {@code c = d/E}; chunk
 * {@code i} goes to expert {@code i} (the {@link DeterministicRouter}'s assignment); expert
 * {@code i} mixes its chunk along the sequence with its own causal {@code (T, T)} matrix (a
 * {@link SpatialProjection} head). No routing decision looks at the tokens, so nothing leaks from
 * future positions.
 *
 * <p>Since the assignment is fixed, routing, dispatch and combine reduce to a reshape: the input
 * {@code (B, T, d)} is viewed as {@code (B, T, E, c)} and transposed to the expert buffers
 * {@code (E, T, B·c)} (expert i's buffer holds chunk i of all B sequences side by side), all
 * experts run as one batched matmul {@code (E, T, T) @ (E, T, B·c)}, and the inverse transpose
 * puts every chunk back. The result is what route, {@link moelab.moe.Dispatch}, experts
 * and {@link moelab.moe.Combine} would give with the deterministic routing of the {@code B·E}
 * chunks (item {@code b·E + i} is chunk i of sequence b, weight 1). That routing is still exposed
 * for inspection ({@link #lastRouting()}), computed only when asked; the aux loss is zero (the
 * split is balanced by construction).
 *
 * <p>Input {@code (B, T, d)} (a second input, token ids, is ignored), output {@code (B, T, d)}.
 * Parameters {@code E (L² + L)}. The experts start near zero ({@code W ~ U(-ε, ε)}, {@code b = 0}),
 * so at initialisation the block's residual carries the input unchanged (design choice).
 */
public final class SpatialMoe extends AbstractBlock implements MoeBlock {

    private final int numExperts;
    private final int modelDim;
    private final SpatialProjection experts;
    private Supplier<Routing> lastRouting;
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
        // expert i's buffer: chunk i of every sequence, the B sequences side by side as columns
        NDArray buffers = x.reshape(batch, length, numExperts, chunk) // (B, T, E, c)
                .transpose(2, 1, 0, 3) // (E, T, B, c)
                .reshape(numExperts, 1, length, batch * chunk); // (E, 1, T, B·c)
        NDArray mixed = experts.forward(store, new NDList(buffers), training, params)
                .head(); // one batched matmul (E, T, T) @ (E, T, B·c), plus bias: (E, 1, T, B·c)
        NDArray y = mixed.reshape(numExperts, length, batch, chunk) // (E, T, B, c)
                .transpose(2, 1, 0, 3) // (B, T, E, c)
                .reshape(batch, length, modelDim); // (B, T, d)

        lastAuxLoss = x.getManager().zeros(new Shape(), x.getDataType());
        lastRouting = routingView(x.getManager(), x.getDataType(), batch, training);
        AuxLosses.add(this, lastRouting, lastAuxLoss);
        return new NDList(y);
    }

    /**
     * The deterministic routing of the {@code B·E} chunks (item {@code b·E + i} to expert i), as a
     * view computed on the first call only.
     */
    private Supplier<Routing> routingView(NDManager manager, DataType dataType, long batch,
                                          boolean training) {
        return new Supplier<>() {
            private Routing routing;

            @Override
            public Routing get() {
                if (routing == null) {
                    NDArray logits = manager.zeros(new Shape(batch * numExperts, numExperts),
                            dataType); // (B·E, E): no content, the router ignores it
                    routing = new DeterministicRouter().route(logits, null, training);
                }
                return routing;
            }
        };
    }
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        experts.initialize(manager, dataType,
                new Shape(numExperts, 1, in.get(1), in.get(0) * (modelDim / numExperts)));
    }

    /** The deterministic routing of the latest call (computed now, on the first request). */
    @Override
    public Routing lastRouting() {
        return lastRouting == null ? null : lastRouting.get();
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
