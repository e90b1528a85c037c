package moelab.experts;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * {@code E} two-layer expert MLPs {@code f_e(x) = GELU(x W1_e + b1_e) W2_e + b2_e}, held as batched
 * weights (a {@link GeluMlp} with a leading expert axis) {@code W1: (E, d, h)}, {@code b1: (E, 1, h)},
 * {@code W2: (E, h, d)}, {@code b2: (E, 1, d)}, and run on all experts at once with one batched
 * matrix multiply per layer.
 *
 * <p>Input {@code (E, C, d)}: row block e is expert e's buffer of C dispatched items. Output
 * {@code (E, C, d)}. Parameters {@code E (2 d h + h + d)}.
 */
public final class Experts extends GeluMlp {

    private final int numExperts;

    /**
     * @param numExperts {@code E}
     * @param inputDim {@code d}, the size of a routed item (and of the output)
     * @param hiddenDim {@code h}, each expert's hidden width
     */
    public Experts(int numExperts, int inputDim, int hiddenDim) {
        super(new Shape(numExperts), new Shape(numExperts, 1), inputDim, hiddenDim);
        this.numExperts = numExperts;
    }

    /** Number of experts {@code E}. */
    public int numExperts() {
        return numExperts;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (x.getShape().dimension() != 3 || x.getShape().get(0) != numExperts
                || x.getShape().get(2) != inputDim()) {
            throw new IllegalArgumentException("experts expect (E, C, d) = (" + numExperts
                    + ", C, " + inputDim() + "), got " + x.getShape());
        }
        return new NDList(mlp(store, x, training)); // (E, C, d)
    }

    @Override
    public String toString() {
        return "Experts(E=" + numExperts + ", d=" + inputDim() + ", h=" + hiddenDim() + ")";
    }
}
