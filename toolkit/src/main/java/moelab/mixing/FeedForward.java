package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import moelab.experts.GeluMlp;

/**
 * The two-layer MLP every mixing layer is made of, {@code f(x) = GELU(x W1 + b1) W2 + b2} (a
 * {@link GeluMlp}), applied along the last axis.
 *
 * <p>Input {@code (..., d)}, output {@code (..., d)}; hidden width {@code h}. The weights are laid
 * out exactly like one expert of {@link moelab.experts.Experts}: {@code W1: (d, h)}, {@code b1: (h)},
 * {@code W2: (h, d)}, {@code b2: (d)}, so a dense layer and a one-expert MoE layer can share
 * weights. Parameters {@code 2 d h + h + d}. Extra inputs (token ids passed along a model) are
 * ignored.
 */
public final class FeedForward extends GeluMlp {

    /**
     * @param inputDim {@code d}, the width of the axis the MLP acts on
     * @param hiddenDim {@code h}
     */
    public FeedForward(int inputDim, int hiddenDim) {
        super(new Shape(), new Shape(), checkPositive(inputDim, hiddenDim), hiddenDim);
    }

    private static int checkPositive(int inputDim, int hiddenDim) {
        if (inputDim < 1 || hiddenDim < 1) {
            throw new IllegalArgumentException(
                    "feed-forward needs d, h >= 1, got d=" + inputDim + " h=" + hiddenDim);
        }
        return inputDim;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.get(0); // (..., d)
        Shape shape = x.getShape();
        if (shape.get(shape.dimension() - 1) != inputDim()) {
            throw new IllegalArgumentException(
                    "feed-forward of width d=" + inputDim() + " got input " + shape);
        }
        return new NDList(mlp(store, x, training)); // (..., d)
    }

    @Override
    public String toString() {
        return "FeedForward(d=" + inputDim() + ", h=" + hiddenDim() + ")";
    }
}
