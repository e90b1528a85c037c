package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * gMLP's spatial projection {@code f(Z) = W Z + b} along the sequence axis, held for {@code H}
 * independent heads at once: head {@code h} mixes its {@code T} positions with its own
 * {@code (T, T)} matrix {@code W_h} and per-position bias {@code b_h}. With {@code causal} set,
 * {@code W_h} is multiplied by the lower-triangular mask, so position {@code t} reads positions
 * {@code <= t} only.
 *
 * <p>Input {@code (H, N, T, c)}: for each head, {@code N} groups of {@code c} channels, each a
 * sequence of {@code T} positions; output the same shape. Weights {@code W: (H, L, L)},
 * {@code b: (H, L, 1)} for the longest sequence {@code L}; a shorter sequence uses the top-left
 * {@code (T, T)} corner, which under the causal mask gives each prefix the same result.
 *
 * <p>Initialisation (gMLP): {@code W ~ U(-ε, ε)} near zero and {@code b} constant, so at the start
 * the projection outputs roughly {@code b}.
 */
public final class SpatialProjection extends AbstractBlock {

    private final int heads;
    private final int maxLength;
    private final boolean causal;
    private final Parameter weight;
    private final Parameter bias;

    /**
     * @param heads {@code H}, independent mixing matrices
     * @param maxLength {@code L}, the longest sequence
     * @param causal whether {@code W} is lower-triangular
     * @param epsilon half-width of the uniform initialisation of {@code W}
     * @param biasInit the initial value of every {@code b}
     */
    public SpatialProjection(
            int heads, int maxLength, boolean causal, float epsilon, float biasInit) {
        this.heads = heads;
        this.maxLength = maxLength;
        this.causal = causal;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(heads, maxLength, maxLength))
                .optInitializer(new UniformInitializer(epsilon)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(heads, maxLength, 1))
                .optInitializer(new ConstantInitializer(biasInit)).build());
    }

    /** Number of heads {@code H}. */
    public int heads() {
        return heads;
    }

    /** Longest sequence {@code L}. */
    public int maxLength() {
        return maxLength;
    }

    /** Whether position t reads only positions {@code <= t}. */
    public boolean causal() {
        return causal;
    }

    /** The mixing matrices {@code W: (H, L, L)} and biases {@code b: (H, L, 1)}. */
    public Parameter[] weights() {
        return new Parameter[] {weight, bias};
    }

    /** Parameters: {@code H (L² + L)} (the full matrix is stored, masked or not). */
    public long parameterCount() {
        return (long) heads * ((long) maxLength * maxLength + maxLength);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray z = inputs.get(0); // (H, N, T, c)
        Shape shape = z.getShape();
        int length = Math.toIntExact(shape.get(2));
        if (shape.dimension() != 4 || shape.get(0) != heads || length > maxLength) {
            throw new IllegalArgumentException("spatial projection expects (H=" + heads
                    + ", N, T<=" + maxLength + ", c), got " + shape);
        }
        var device = z.getDevice();
        String corner = ":, :" + length + ", :" + length;
        NDArray w = store.getValue(weight, device, training).get(corner); // (H, T, T)
        if (causal) {
            w = w.mul(CausalMask.lowerTriangular(z.getManager(), length, w.getDataType()));
        }
        NDArray b = store.getValue(bias, device, training).get(":, :" + length + ", :"); // (H, T, 1)
        NDArray y = w.expandDims(1).matMul(z); // (H, 1, T, T) @ (H, N, T, c) -> (H, N, T, c)
        return new NDList(y.add(b.expandDims(1))); // + (H, 1, T, 1)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // every parameter shape is fixed in the constructor
    }

    @Override
    public String toString() {
        return "SpatialProjection(H=" + heads + ", L=" + maxLength + ", causal=" + causal + ")";
    }
}
