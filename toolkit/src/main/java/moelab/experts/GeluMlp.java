package moelab.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

/**
 * The two-layer MLP {@code f(x) = GELU(x W1 + b1) W2 + b2}: its parameters and its math, shared
 * by {@link Experts} (one MLP per expert, a leading axis {@code E}) and
 * {@link moelab.mixing.FeedForward} (one MLP, no leading axis), so both hold the same layout and
 * compute the same function.
 *
 * <p>Weights {@code W1: (..., d, h)} and {@code W2: (..., h, d)}, drawn from
 * {@code N(0, 1/fan_in)}; biases {@code b1: (..., h)}, {@code b2: (..., d)}, zero. Input
 * {@code (..., d)}, output {@code (..., d)}; a subclass checks the input and calls
 * {@link #mlp}.
 */
public abstract class GeluMlp extends AbstractBlock {

    private final int inputDim;
    private final int hiddenDim;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    /**
     * @param weightAxes leading axes of {@code W1} and {@code W2}: {@code ()} or {@code (E)}
     * @param biasAxes leading axes of {@code b1} and {@code b2}: {@code ()} or {@code (E, 1)}
     * @param inputDim {@code d}
     * @param hiddenDim {@code h}
     */
    protected GeluMlp(Shape weightAxes, Shape biasAxes, int inputDim, int hiddenDim) {
        this.inputDim = inputDim;
        this.hiddenDim = hiddenDim;
        w1 = addParameter(weight("w1", weightAxes.addAll(new Shape(inputDim, hiddenDim)), inputDim));
        b1 = addParameter(bias("b1", biasAxes.addAll(new Shape(hiddenDim))));
        w2 = addParameter(weight("w2", weightAxes.addAll(new Shape(hiddenDim, inputDim)), hiddenDim));
        b2 = addParameter(bias("b2", biasAxes.addAll(new Shape(inputDim))));
    }

    private static Parameter weight(String name, Shape shape, int fanIn) {
        return Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer((float) Math.sqrt(1.0 / fanIn))).build();
    }

    private static Parameter bias(String name, Shape shape) {
        return Parameter.builder().setName(name).setType(Parameter.Type.BIAS).optShape(shape)
                .build();
    }

    /** Width {@code d} of the items (input and output). */
    public int inputDim() {
        return inputDim;
    }

    /** Hidden width {@code h}. */
    public int hiddenDim() {
        return hiddenDim;
    }

    /** The weights {@code W1, b1, W2, b2}, for copying or inspecting. */
    public Parameter[] weights() {
        return new Parameter[] {w1, b1, w2, b2};
    }

    /** Parameters: the sizes of {@code W1, b1, W2, b2} added up. */
    public long parameterCount() {
        long count = 0;
        for (Parameter p : weights()) {
            count += p.getShape().size();
        }
        return count;
    }

    /**
     * {@code GELU(x W1 + b1) W2 + b2}: {@code (..., d) → (..., d)}, batched over the leading axes
     * the weights have ({@code (E, C, d) → (E, C, d)} for experts).
     */
    protected NDArray mlp(ParameterStore store, NDArray x, boolean training) {
        var device = x.getDevice();
        return mlp(x, store.getValue(w1, device, training), store.getValue(b1, device, training),
                store.getValue(w2, device, training), store.getValue(b2, device, training));
    }

    /**
     * {@code GELU(x W1 + b1) W2 + b2} with the given weights: {@code (..., d) → (..., d)}. With
     * one MLP's weights ({@code W1: (d, h)}, {@code b1: (h)}) each layer is one fused
     * multiply-add ({@code linear}, PyTorch's addmm); with a leading expert axis
     * ({@code W1: (E, d, h)}, {@code b1: (E, 1, h)}) a batched matmul and a broadcast add.
     */
    protected static NDArray mlp(NDArray x, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
        if (w1.getShape().dimension() == 2) {
            NDArray h = Activation.gelu(Linear.linear(x, w1.transpose(), b1).head()); // (..., h)
            return Linear.linear(h, w2.transpose(), b2).head(); // (..., d)
        }
        NDArray h = Activation.gelu(x.matMul(w1).add(b1)); // (E, C, h)
        return h.matMul(w2).add(b2); // (E, C, d)
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // every parameter shape is fixed in the constructor
    }
}
