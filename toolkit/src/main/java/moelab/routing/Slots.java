package moelab.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Turns the {@code (T, S)} Java arrays of a routing into NDArrays on the router's device. */
final class Slots {

    private Slots() {}

    /**
     * {@code source[t, choice[t][s]]} for every slot, shape {@code (T, S)}; unused slots (-1) read
     * column 0 and must be masked by the caller. Differentiable in {@code source}.
     */
    static NDArray gather(NDArray source, int[][] choice) {
        int[][] index = new int[choice.length][];
        for (int t = 0; t < choice.length; t++) {
            index[t] = choice[t].clone();
            for (int s = 0; s < index[t].length; s++) {
                index[t][s] = Math.max(index[t][s], 0);
            }
        }
        NDArray idx = source.getManager().create(index).toType(DataType.INT64, false);
        return source.gather(idx, 1);
    }

    /** {@code (T, S)} mask in {@code like}'s type: 1 where a slot got a buffer row, else 0. */
    static NDArray keptMask(NDArray like, int[][] position) {
        float[][] mask = new float[position.length][];
        for (int t = 0; t < position.length; t++) {
            mask[t] = new float[position[t].length];
            for (int s = 0; s < position[t].length; s++) {
                mask[t][s] = position[t][s] >= 0 ? 1f : 0f;
            }
        }
        return like.getManager().create(mask).toType(like.getDataType(), false);
    }

    /** The values of {@code array} as float32, for routing decisions made in Java. */
    static float[] floats(NDArray array) {
        return array.toType(DataType.FLOAT32, false).toFloatArray();
    }
}
