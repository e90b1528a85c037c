package moelab.moe;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import java.util.List;
import java.util.function.UnaryOperator;
import moelab.experts.Experts;

/**
 * Soft MoE (Puigcerver et al. 2023, "From Sparse to Soft Mixtures of Experts"): no token is
 * routed; each of the {@code n · p} slots ({@code p} per expert) is a weighted average of
 * <em>all</em> {@code m} tokens of a sequence, every expert processes its {@code p} slots, and
 * every token's output is a weighted average of all slot outputs.
 *
 * <pre>
 *   logits = X Φ                           (m, n·p)     Φ: (d, n·p) learned slot parameters
 *   D      = softmax over tokens (axis m)  (m, n·p)     dispatch weights, each column sums to 1
 *   C      = softmax over slots (axis n·p) (m, n·p)     combine weights, each row sums to 1
 *   X̃      = Dᵀ X                          (n·p, d)     slot inputs
 *   Ỹ_i    = f_{⌊i/p⌋}(X̃_i)                (n·p, d)     expert j gets slots j·p .. j·p+p-1
 *   Y      = C Ỹ                           (m, d)
 * </pre>
 *
 * Nothing is dropped and everything is differentiable; cost is set by the slot count, not by the
 * number of tokens. Each sequence (a leading batch row) is mixed on its own: tokens of different
 * examples never share a slot, so the layer is not causal (all tokens of a sequence feed every
 * slot). The paper also l2-normalises X and Φ for large d; this layer does not.
 *
 * <p>Input {@code (B, m, d)} (or {@code (m, d)}); output the same shape.
 */
public final class SoftMoeLayer extends AbstractBlock {

    private final int numExperts;
    private final int slotsPerExpert;
    private final int modelDim;
    private final Parameter phi;
    private final Experts experts;

    /**
     * @param numExperts {@code n}
     * @param slotsPerExpert {@code p}
     * @param modelDim {@code d}
     * @param hiddenDim each expert MLP's hidden width {@code h}
     */
    public SoftMoeLayer(int numExperts, int slotsPerExpert, int modelDim, int hiddenDim) {
        if (numExperts < 1 || slotsPerExpert < 1 || modelDim < 1 || hiddenDim < 1) {
            throw new IllegalArgumentException("SoftMoeLayer needs n, p, d, h >= 1, got n="
                    + numExperts + " p=" + slotsPerExpert + " d=" + modelDim + " h=" + hiddenDim);
        }
        this.numExperts = numExperts;
        this.slotsPerExpert = slotsPerExpert;
        this.modelDim = modelDim;
        phi = addParameter(Parameter.builder().setName("phi").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(modelDim, (long) numExperts * slotsPerExpert))
                .optInitializer(new NormalInitializer((float) Math.sqrt(1.0 / modelDim))).build());
        experts = addChildBlock("experts", new Experts(numExperts, modelDim, hiddenDim));
    }

    /** Dispatch weights {@code D = softmax(logits)} over the token axis (second to last). */
    public static NDArray dispatchWeights(NDArray logits) {
        return logits.softmax(logits.getShape().dimension() - 2);
    }

    /** Combine weights {@code C = softmax(logits)} over the slot axis (last). */
    public static NDArray combineWeights(NDArray logits) {
        return logits.softmax(logits.getShape().dimension() - 1);
    }

    /**
     * Soft MoE on one sequence with expert functions given directly.
     *
     * @param x {@code (m, d)} tokens
     * @param phi {@code (d, n·p)} slot parameters
     * @param experts the n expert functions, each {@code (p, d) -> (p, d)}
     * @return {@code [D (m, n·p), C (m, n·p), Y (m, d)]}
     */
    public static NDList apply(NDArray x, NDArray phi, List<UnaryOperator<NDArray>> experts) {
        NDArray logits = x.matMul(phi); // (m, n·p)
        NDArray dispatch = dispatchWeights(logits);
        NDArray combine = combineWeights(logits);
        NDArray slots = dispatch.transpose().matMul(x); // (n·p, d)
        int n = experts.size();
        long p = phi.getShape().get(1) / n;
        NDList outs = new NDList();
        for (int j = 0; j < n; j++) {
            outs.add(experts.get(j).apply(slots.get((j * p) + ":" + ((j + 1) * p)))); // (p, d)
        }
        NDArray slotOutputs = outs.size() == 1 ? outs.head() : ai.djl.ndarray.NDArrays.concat(outs);
        return new NDList(dispatch, combine, combine.matMul(slotOutputs)); // Y: (m, d)
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.head();
        Shape shape = input.getShape();
        NDArray x = shape.dimension() == 2 ? input.expandDims(0) : input; // (B, m, d)
        long batch = x.getShape().get(0);
        Device device = x.getDevice();
        NDArray logits = x.matMul(store.getValue(phi, device, training)); // (B, m, n·p)
        NDArray dispatch = dispatchWeights(logits);
        NDArray combine = combineWeights(logits);
        NDArray slots = dispatch.transpose(0, 2, 1).matMul(x); // (B, n·p, d)
        NDArray buffers = slots.reshape(batch, numExperts, slotsPerExpert, modelDim)
                .transpose(1, 0, 2, 3).reshape(numExperts, batch * slotsPerExpert, modelDim); // (n, B·p, d)
        NDArray out = experts.forward(store, new NDList(buffers), training).head(); // (n, B·p, d)
        NDArray slotOutputs = out.reshape(numExperts, batch, slotsPerExpert, modelDim)
                .transpose(1, 0, 2, 3).reshape(batch, (long) numExperts * slotsPerExpert, modelDim); // (B, n·p, d)
        return new NDList(combine.matMul(slotOutputs).reshape(shape)); // (B, m, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        experts.initialize(manager, dataType, new Shape(numExperts, 1, modelDim));
    }

    /** The slot parameters {@code Φ}, {@code (d, n·p)}. */
    public Parameter phi() {
        return phi;
    }

    /** The batched expert MLPs. */
    public Experts experts() {
        return experts;
    }

    /** Parameters: {@code Φ} plus the experts. */
    public long parameterCount() {
        return (long) modelDim * numExperts * slotsPerExpert + experts.parameterCount();
    }

    @Override
    public String toString() {
        return "SoftMoeLayer(n=" + numExperts + ", p=" + slotsPerExpert + ", d=" + modelDim
                + ", h=" + experts.hiddenDim() + ")";
    }
}
