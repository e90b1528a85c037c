package moelab.experts;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
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
 * {@code (E, C, d)}. Parameters {@code E (2 d h + h + d)}.
 *
 * <p>{@link #forwardEach} runs chosen experts on row blocks of any length instead (the sorted,
 * unpadded path of {@link moelab.moe.SortedExperts}): same weights, same function.
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

    /**
     * Runs expert {@code experts[i]} on {@code rows.get(i)}, each on its own: {@code (n_i, d) →
     * (n_i, d)}. The weights are split along the expert axis once (one split per weight, so the
     * backward pass writes each weight's gradient in one piece, zero for experts not run).
     *
     * @param store the parameter store
     * @param rows one {@code (n_i, d)} block per entry of {@code experts}
     * @param experts the expert index of each block, each in {@code [0, E)}
     * @param training whether this is a training pass
     * @return the {@code (n_i, d)} outputs, in the order of {@code rows}
     */
    public NDList forwardEach(ParameterStore store, NDList rows, long[] experts, boolean training) {
        if (rows.size() != experts.length) {
            throw new IllegalArgumentException(rows.size() + " row blocks for "
                    + experts.length + " expert indices; give one expert index per block");
        }
        NDList outputs = new NDList(rows.size());
        if (rows.isEmpty()) {
            return outputs;
        }
        Device device = rows.head().getDevice();
        Parameter[] weights = weights();
        NDList[] perExpert = new NDList[weights.length]; // W1, b1, W2, b2, each split into E
        for (int i = 0; i < weights.length; i++) {
            NDArray w = store.getValue(weights[i], device, training);
            perExpert[i] = numExperts == 1 ? new NDList(w) : w.split(numExperts, 0);
        }
        for (int i = 0; i < experts.length; i++) {
            int e = Math.toIntExact(experts[i]);
            if (e < 0 || e >= numExperts) {
                throw new IllegalArgumentException("block " + i + " is for expert " + e
                        + ", outside 0.." + (numExperts - 1));
            }
            outputs.add(mlp(rows.get(i), perExpert[0].get(e).squeeze(0), // W1_e: (d, h)
                    perExpert[1].get(e).reshape(-1), perExpert[2].get(e).squeeze(0),
                    perExpert[3].get(e).reshape(-1))); // (n_i, d)
        }
        return outputs;
    }

    @Override
    public String toString() {
        return "Experts(E=" + numExperts + ", d=" + inputDim() + ", h=" + hiddenDim() + ")";
    }
}
