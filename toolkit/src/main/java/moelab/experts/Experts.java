package moelab.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code E} two-layer expert MLPs {@code f_e(x) = GELU(x W1_e + b1_e) W2_e + b2_e}, held as batched
 * weights (a {@link GeluMlp} with a leading expert axis) {@code W1: (E, d, h)}, {@code b1: (E, 1, h)},
 * {@code W2: (E, h, d)}, {@code b2: (E, 1, d)}, and run on all experts at once with one batched
 * matrix multiply per layer.
 *
 * <p>Input {@code (E, C, d)}: row block e is expert e's buffer of C dispatched items. Output
 * {@code (E, C, d)}.
 */
public final class Experts extends AbstractBlock {

    private final int numExperts;
    private final int inputDim;
    private final int hiddenDim;
    private final GeluMlp mlp;

    /**
     * @param numExperts {@code E}
     * @param inputDim {@code d}, the size of a routed item (and of the output)
     * @param hiddenDim {@code h}, each expert's hidden width
     */
    public Experts(int numExperts, int inputDim, int hiddenDim) {
        this.numExperts = numExperts;
        this.inputDim = inputDim;
        this.hiddenDim = hiddenDim;
        mlp = new GeluMlp(new Shape(numExperts), new Shape(numExperts, 1), inputDim, hiddenDim);
        for (Parameter p : mlp.weights()) {
            addParameter(p);
        }
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
        return mlp.weights();
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
        NDArray y = mlp.apply(store, x, training); // (E, C, d)
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
        return mlp.parameterCount();
    }

    @Override
    public String toString() {
        return "Experts(E=" + numExperts + ", d=" + inputDim + ", h=" + hiddenDim + ")";
    }
}
