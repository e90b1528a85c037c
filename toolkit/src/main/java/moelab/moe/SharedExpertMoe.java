package moelab.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.mixing.FeedForward;
import moelab.routing.Routing;

/**
 * Shared plus fine-grained routed experts (DeepSeekMoE, Dai et al. 2024): an always-on shared
 * expert MLP that every token passes through, plus an {@link MoeLayer} of many small routed
 * experts, {@code y = FFN_shared(x) + Σ_{e ∈ topK} g_e FFN_e(x)}. The shared expert learns what
 * all tokens need, so the routed ones can specialise.
 *
 * <p>Input {@code (..., d)}, output the same shape. The routing and aux loss are the routed layer's:
 * it adds them to the open {@link AuxLosses} record, this wrapper adds nothing more.
 */
public final class SharedExpertMoe extends AbstractBlock implements MoeBlock {

    private final FeedForward shared;
    private final MoeLayer routed;

    /**
     * @param sharedHidden hidden width of the shared expert
     * @param routed the routed MoE layer (its width d must match)
     */
    public SharedExpertMoe(int modelDim, int sharedHidden, MoeLayer routed) {
        this.shared = addChildBlock("shared", new FeedForward(modelDim, sharedHidden));
        this.routed = addChildBlock("routed", routed);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray common = shared.forward(store, new NDList(inputs.head()), training).head();
        NDArray specific = routed.forward(store, inputs, training).head();
        return new NDList(common.add(specific));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        shared.initialize(manager, dataType, inputShapes[0]);
        routed.initialize(manager, dataType, inputShapes[0]);
    }

    @Override
    public Routing lastRouting() {
        return routed.lastRouting();
    }

    @Override
    public NDArray lastAuxLoss() {
        return routed.lastAuxLoss();
    }

    /** Parameters of the shared expert plus the routed layer. */
    public long parameterCount() {
        return shared.parameterCount() + routed.parameterCount();
    }

    @Override
    public String toString() {
        return "SharedExpertMoe(shared h=" + shared.hiddenDim() + ", routed=" + routed + ")";
    }
}
