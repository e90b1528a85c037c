package moelab.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

/**
 * {@code E} two-layer expert MLPs {@code f_e(x) = GELU(x W1_e + b1_e) W2_e + b2_e}, held as batched
 * weights {@code W1: (E, d, h)}, {@code W2: (E, h, d)} and run on all experts at once with one
 * batched matrix multiply per layer.
 *
 * <p>Input {@code (E, C, d)}: row block e is expert e's buffer of C dispatched items. Output
 * {@code (E, C, d)}.
 */
public final class Experts extends AbstractBlock {

    private final int numExperts;
    private final int inputDim;
    private final int hiddenDim;
    private final Parameter w1;
    private final Parameter b1;
    private final Parameter w2;
    private final Parameter b2;

    /**
     * @param numExperts {@code E}
     * @param inputDim {@code d}, the size of a routed item (and of the output)
     * @param hiddenDim {@code h}, each expert's hidden width
     */
    public Experts(int numExperts, int inputDim, int hiddenDim) {
        this.numExperts = numExperts;
        this.inputDim = inputDim;
        this.hiddenDim = hiddenDim;
        w1 = weight("w1", new Shape(numExperts, inputDim, hiddenDim), inputDim);
        b1 = bias("b1", new Shape(numExperts, 1, hiddenDim));
        w2 = weight("w2", new Shape(numExperts, hiddenDim, inputDim), hiddenDim);
        b2 = bias("b2", new Shape(numExperts, 1, inputDim));
    }

    private Parameter weight(String name, Shape shape, int fanIn) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(new NormalInitializer((float) Math.sqrt(1.0 / fanIn)))
                .build());
    }

    private Parameter bias(String name, Shape shape) {
        return addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(shape)
                .build());
    }

    /** Number of experts {@code E}. */
    public int numExperts() {
        return numExperts;
    }

    /** Item size {@code d}. */
    public int inputDim() {
        return inputDim;
    }

    /** Hidden width {@code h} of each expert. */
    public int hiddenDim() {
        return hiddenDim;
    }

    /** The four weight parameters {@code W1, b1, W2, b2}, for copying or inspecting weights. */
    public Parameter[] weights() {
        return new Parameter[] {w1, b1, w2, b2};
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 3 || x.getShape().get(0) != numExperts
                || x.getShape().get(2) != inputDim) {
            throw new IllegalArgumentException("experts expect (E, C, d) = (" + numExperts
                    + ", C, " + inputDim + "), got " + x.getShape());
        }
        var device = x.getDevice();
        NDArray h = x.batchMatMul(store.getValue(w1, device, training))
                .add(store.getValue(b1, device, training)); // (E, C, h)
        h = Activation.gelu(h);
        NDArray y = h.batchMatMul(store.getValue(w2, device, training))
                .add(store.getValue(b2, device, training)); // (E, C, d)
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        // every parameter shape is fixed in the constructor
    }

    /** Parameters: {@code E (2 d h + h + d)}. */
    public long parameterCount() {
        return (long) numExperts * (2L * inputDim * hiddenDim + hiddenDim + inputDim);
    }

    @Override
    public String toString() {
        return "Experts(E=" + numExperts + ", d=" + inputDim + ", h=" + hiddenDim + ")";
    }
}
