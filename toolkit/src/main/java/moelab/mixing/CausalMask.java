package moelab.mixing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The causal (lower-triangular) mask over a sequence of length {@code T}: entry {@code (t, s)} is 1
 * when position {@code t} may read position {@code s}, that is {@code s <= t}, and 0 otherwise.
 */
public final class CausalMask {

    private CausalMask() {}

    /** {@code (T, T)} lower-triangular matrix of ones, in {@code dataType}. */
    public static NDArray lowerTriangular(NDManager manager, int length, DataType dataType) {
        float[] mask = new float[length * length];
        for (int t = 0; t < length; t++) {
            for (int s = 0; s <= t; s++) {
                mask[t * length + s] = 1f;
            }
        }
        return manager.create(mask, new Shape(length, length)).toType(dataType, false);
    }
}
